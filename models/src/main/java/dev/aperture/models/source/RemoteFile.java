package dev.aperture.models.source;

import java.net.URI;

/**
 * What a HEAD request to {@code /{repo}/resolve/{revision}/{file}} told us about one file.
 *
 * @param fileName    the file's name in the repository
 * @param exists      false when the hub answered 404 for this file (the fields below may then be null)
 * @param commit      the commit the revision resolved to (X-Repo-Commit)
 * @param etag        the normalised X-Linked-Etag or ETag: sha256 for LFS files, git blob sha1 for others
 * @param size        X-Linked-Size or Content-Length, -1 when absent
 * @param downloadUri where to GET the bytes: the CDN URL a LFS file redirects to, else the resolve URL
 */
record RemoteFile(String fileName, boolean exists, String commit, String etag, long size, URI downloadUri) {

    static RemoteFile missing(String fileName, String commit) {
        return new RemoteFile(fileName, false, commit, null, -1, null);
    }
}
