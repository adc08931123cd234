package io.mhaserverless.core.port;

import io.mhaserverless.core.config.ClusterConfig;

/** Where a cluster's config is read from (AWS: SSM Parameter Store; locally: a file). Read anew by every phase. */
public interface ConfigSource {

    ClusterConfig load(String cluster);
}
