package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.Extensions;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Devices that prove who they are with a client certificate: issued (signed) by their tenant's CA, with
 * {@code CN=<device id>} and {@code O=<tenant>}. The TLS handshake already checked the chain against every
 * tenant's CA; here the certificate must also be signed by the CA of the tenant it names, so one tenant's CA
 * cannot issue devices of another.
 */
public final class TenantCertificates {

    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final Map<String, List<X509Certificate>> authorities;

    public TenantCertificates(Map<String, List<X509Certificate>> authorities) {
        this.authorities = Map.copyOf(authorities);
    }

    /** The CA certificates of each tenant, from PEM files ({@code autoglm.gateway.tenant-ca.*}). */
    public static TenantCertificates load(Map<String, Path> files) {
        Map<String, List<X509Certificate>> authorities = new HashMap<>();
        files.forEach((tenant, file) -> authorities.put(tenant, read(file)));
        return new TenantCertificates(authorities);
    }

    public boolean any() {
        return !authorities.isEmpty();
    }

    /** Every tenant's CA certificates, to trust in the TLS handshake. */
    public List<X509Certificate> all() {
        return authorities.values().stream().flatMap(Collection::stream).toList();
    }

    /** The device {@code certificate} (the peer's, first of its chain) proves at {@code now}, or why it proves none. */
    public Verdict verify(X509Certificate certificate, Instant now) {
        String tenant;
        String device;
        try {
            LdapName subject = new LdapName(certificate.getSubjectX500Principal().getName());
            tenant = attribute(subject, "O");
            device = attribute(subject, "CN");
        } catch (InvalidNameException e) {
            return refused("its subject is not a distinguished name");
        }
        if (tenant == null || Extensions.checkValue(Extensions.TENANT, tenant).isPresent()) {
            return refused("its subject has no O=<tenant> naming a tenant");
        }
        if (device == null || !DEVICE_ID.matcher(device).matches()) {
            return refused("its subject has no CN=<device id> naming a device");
        }
        List<X509Certificate> cas = authorities.get(tenant);
        if (cas == null) {
            return refused("tenant '" + tenant + "' enrols no devices by certificate here");
        }
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateException e) {
            return refused("it is not valid now (expired or not yet valid)");
        }
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal()) && signedBy(certificate, ca)) {
                return new Verdict(new Caller.Device(tenant, device, Caller.Proof.CERTIFICATE), null);
            }
        }
        return refused("it is not issued by tenant '" + tenant + "'s CA");
    }

    /** The device, or the refusal. */
    public record Verdict(Caller.Device device, String refusal) {
    }

    private static Verdict refused(String why) {
        return new Verdict(null, "the client certificate was refused (" + why + ")");
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
        try {
            certificate.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String attribute(LdapName name, String type) {
        for (Rdn rdn : name.getRdns()) {
            if (rdn.getType().equalsIgnoreCase(type)) {
                return String.valueOf(rdn.getValue());
            }
        }
        return null;
    }

    private static List<X509Certificate> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + file);
            }
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tenant CA " + file, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the tenant CA " + file + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
