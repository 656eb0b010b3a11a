/**
 * Versions: git tags as the catalogue of what can be deployed ({@link
 * dev.rollback.core.version.GitVersionCatalog}), ordered exactly as {@code git tag
 * --sort=-version:refname} orders them, with verification, diffs and file access at a tag.
 */
@NullMarked
package dev.rollback.core.version;

import org.jspecify.annotations.NullMarked;
