package io.autoglm.fleet.triggers.gateway;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** Certificates made for one test run with BouncyCastle: tenant CAs, the gateway's server certificate, devices' client certificates. */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate and its key. */
    record Issued(X509Certificate certificate, KeyPair keys) {

        /** A PKCS#12 key store holding this certificate and key (password "secret"), for a TLS client. */
        KeyStore keyStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("device", keys.getPrivate(), "secret".toCharArray(), new java.security.cert.Certificate[] {certificate});
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        Path certificatePem(Path directory, String name) {
            return write(directory.resolve(name + ".crt"), "CERTIFICATE", encoded(certificate));
        }

        Path keyPem(Path directory, String name) {
            return write(directory.resolve(name + ".key"), "PRIVATE KEY", keys.getPrivate().getEncoded());
        }
    }

    private TestCertificates() {
    }

    static Issued authority(String name) {
        KeyPair keys = keys();
        X500Name subject = new X500Name("CN=" + name + ",O=" + name);
        return new Issued(sign(subject, subject, keys, keys, Instant.now().minusSeconds(60), Duration.ofDays(1), true, null), keys);
    }

    static Issued device(Issued authority, String deviceId, String tenant) {
        return device(authority, "CN=" + deviceId + ",O=" + tenant, Instant.now().minusSeconds(60), Duration.ofDays(1));
    }

    static Issued device(Issued authority, String subject, Instant from, Duration validFor) {
        KeyPair keys = keys();
        return new Issued(sign(new X500Name(subject), issuer(authority), keys, authority.keys(), from, validFor, false, null), keys);
    }

    static Issued server(Issued authority) {
        KeyPair keys = keys();
        return new Issued(sign(new X500Name("CN=localhost"), issuer(authority), keys, authority.keys(), Instant.now().minusSeconds(60),
                Duration.ofDays(1), false, "localhost"), keys);
    }

    private static X500Name issuer(Issued authority) {
        return X500Name.getInstance(authority.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X509Certificate sign(X500Name subject, X500Name issuer, KeyPair subjectKeys, KeyPair issuerKeys, Instant from,
                                        Duration validFor, boolean ca, String dns) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(from), Date.from(from.plus(validFor)), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (dns != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dns)));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("could not make a test certificate", e);
        }
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String type, byte[] der) {
        try {
            Files.writeString(file, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END " + type + "-----\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
