package io.mhaserverless.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app (cdk.json runs it through Maven). Deployment choices come from CDK context; see
 * infra/cdk/README.md.
 */
public final class MhaServerlessApp {

    private MhaServerlessApp() {
    }

    public static void main(String[] args) {
        // The CDK CLI passes CDK_OUTDIR; run on its own (mvnw exec:java) the app would write to a temp dir.
        App app = App.Builder.create()
                .outdir(System.getenv().getOrDefault("CDK_OUTDIR", "cdk.out"))
                .build();
        MhaServerlessProps props;
        try {
            props = MhaServerlessProps.fromContext(app.getNode(), RepoLayout.fromWorkingDirectory());
        } catch (IllegalArgumentException | IllegalStateException refused) {
            // A context mistake is the operator's to fix: its message, not Maven's stack trace.
            System.err.println("MhaServerless: " + refused.getMessage());
            System.exit(2);
            return;
        }
        new MhaServerlessStack(app, "MhaServerless", StackProps.builder()
                .description("MHA Serverless: automated MySQL / MariaDB master failover")
                .build(), props);
        app.synth();
    }
}
