package io.mhaserverless.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ssm.CfnDocument;
import software.constructs.Construct;

/**
 * The SSM Command document that runs the node agent on a MySQL host (src/main/resources/ssm/MhaNodeAgent.yaml,
 * reviewed as a file of its own because its shell script is the security boundary).
 */
final class NodeAgentDocument extends Construct {

    static final String RESOURCE = "/ssm/MhaNodeAgent.yaml";

    private final CfnDocument document;

    NodeAgentDocument(Construct scope, String id, String name) {
        super(scope, id);
        document = CfnDocument.Builder.create(this, "Document")
                .name(name)
                .documentType("Command")
                // With a fixed name, "Replace" would create the new document before deleting the old one and
                // fail on the name; a new version becomes the default that SendCommand runs.
                .updateMethod("NewVersion")
                .content(content())
                .build();
    }

    /** The document's name (CloudFormation's Ref), what SendCommand takes. */
    String name() {
        return document.getRef();
    }

    String arn() {
        return Stack.of(this).formatArn(ArnComponents.builder()
                .service("ssm")
                .resource("document")
                .resourceName(name())
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    }

    static Map<String, Object> content() {
        try (InputStream in = NodeAgentDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new YAMLMapper().readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
