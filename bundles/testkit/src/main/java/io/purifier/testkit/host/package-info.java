/**
 * The host harness of the testkit: {@link io.purifier.testkit.host.PurifierHost} starts a real Purifier
 * installation (or attaches to a running server), deploys a plugin bundle over HTTP with the server's upload checks
 * and runs one pipeline, for a plugin project's integration tests.
 */
package io.purifier.testkit.host;
