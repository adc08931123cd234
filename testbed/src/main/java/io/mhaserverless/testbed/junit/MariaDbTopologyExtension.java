package io.mhaserverless.testbed.junit;

import io.mhaserverless.testbed.Sandbox;
import io.mhaserverless.testbed.SandboxSpec;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** Resolves {@link Sandbox} parameters; the store closes the topology when the test ends, also on failure. */
public final class MariaDbTopologyExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MariaDbTopologyExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Sandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        MariaDbTopology settings = find(context.getElement())
                .or(() -> context.getTestClass().flatMap(MariaDbTopologyExtension::find))
                .orElseThrow(() -> new ParameterResolutionException("@MariaDbTopology is missing"));
        SandboxSpec spec = SandboxSpec.of(settings.replicas(), settings.mode());
        return context.getStore(NS)
                .getOrComputeIfAbsent("topology", k -> new Closing(Sandbox.start(spec)), Closing.class)
                .topology();
    }

    private static Optional<MariaDbTopology> find(Optional<? extends AnnotatedElement> element) {
        return AnnotationSupport.findAnnotation(element, MariaDbTopology.class);
    }

    private static Optional<MariaDbTopology> find(Class<?> type) {
        return AnnotationSupport.findAnnotation(type, MariaDbTopology.class);
    }

    private record Closing(Sandbox topology) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            topology.close();
        }
    }
}
