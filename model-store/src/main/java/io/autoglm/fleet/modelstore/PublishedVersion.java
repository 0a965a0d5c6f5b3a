package io.autoglm.fleet.modelstore;

/**
 * The outcome of a publish: the committed manifest, its digest (sha256 of {@code model.json}), and
 * whether the {@code model.version.published} event went out. The version exists either way.
 */
public record PublishedVersion(ModelManifest manifest, String digest, boolean announced) {
}
