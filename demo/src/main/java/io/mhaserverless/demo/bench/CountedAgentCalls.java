package io.mhaserverless.demo.bench;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.port.NodeAgent;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * The node-agent calls of one failover, as the benchmark prints them: every port method that starts
 * an agent (each a JVM locally, an SSM round trip on AWS), with the host it ran on. {@code reachable}
 * asks no agent (locally a file check, on AWS SSM's ping status) and is not counted. A proxy, so
 * that it counts whatever methods the port has.
 */
final class CountedAgentCalls {

    private final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

    NodeAgent wrap(NodeAgent agent) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (!method.getName().equals("reachable") && !method.getName().equals("onDeadHost") && method.getDeclaringClass() != Object.class) {
                String host = args != null && args.length > 0 && args[0] instanceof ServerConfig s ? s.name() : "?";
                calls.add(method.getName() + "@" + host);
            }
            try {
                Object result = method.invoke(agent, args);
                return result instanceof NodeAgent inner && method.getName().equals("onDeadHost") ? wrap(inner) : result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (NodeAgent) Proxy.newProxyInstance(NodeAgent.class.getClassLoader(), new Class<?>[] {NodeAgent.class}, handler);
    }

    List<String> calls() {
        return List.copyOf(calls);
    }

    long on(String host) {
        return calls().stream().filter(c -> c.endsWith("@" + host)).count();
    }

    /** What the dead master's tail came to, from the report: "tail 3 tx", "no tail" or "tail lost". */
    static String tail(String reportText) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Saved (\\d+) transactions").matcher(reportText);
        if (m.find()) {
            return "tail " + m.group(1) + " tx";
        }
        return reportText.contains("may be lost") ? "tail lost" : "no tail";
    }
}
