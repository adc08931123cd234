package io.mhaserverless.testbed.junit;

import io.mhaserverless.testbed.ReplicationMode;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test method a fresh {@link io.mhaserverless.testbed.Sandbox} parameter: real mariadbd
 * processes, {@code db1} the master and {@code replicas} replicas, killed and deleted after the test
 * whether it passed or not. On a method it overrides the class's settings.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(MariaDbTopologyExtension.class)
public @interface MariaDbTopology {
    int replicas() default 2;

    ReplicationMode mode() default ReplicationMode.GTID;
}
