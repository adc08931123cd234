package io.mhaserverless.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailoverPrimingTest {

    @Test
    void primingReadsItsSampleDocumentAndLoadsTheFailoverClasses() {
        FailoverPriming.prime();

        assertThat(FailoverPriming.loadClasses(FailoverPriming.class)).as("the classes of core found beside the anchor")
                .isGreaterThan(100);
    }
}
