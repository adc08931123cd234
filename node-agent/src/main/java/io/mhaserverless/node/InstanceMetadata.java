package io.mhaserverless.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The EC2 instance metadata service (IMDSv2: a session token from {@code PUT /latest/api/token},
 * then GETs carrying it), as far as bind-ip needs it: the private IPv4 addresses EC2 has given one
 * network interface ({@code /latest/meta-data/network/interfaces/macs/<mac>/local-ipv4s}). That
 * list is EC2's side of the writer IP as the host sees it: only once the address is there will the
 * ENI deliver its traffic. It lags an AssignPrivateIpAddresses by a few seconds, so
 * {@link #confirm} polls.
 */
final class InstanceMetadata {

    static final URI DEFAULT_ENDPOINT = URI.create("http://169.254.169.254");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final URI endpoint;
    private final HttpClient http;

    InstanceMetadata(URI endpoint) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The MAC address of a network interface of this host, as Linux shows it (lower case, colon separated). */
    static String macOf(String iface) {
        Path file = Path.of("/sys/class/net", iface, "address");
        try {
            String mac = Files.readString(file).strip().toLowerCase(Locale.ROOT);
            if (!MAC.matcher(mac).matches()) {
                throw new AgentFailure("interface " + iface + ": " + file + " holds '" + mac + "', not a MAC address");
            }
            return mac;
        } catch (IOException e) {
            throw new AgentFailure("interface " + iface + ": cannot read its MAC address from " + file + " (" + e.getMessage() + ")");
        }
    }

    /** Waits until the interface with {@code mac} lists {@code address} in its local-ipv4s, or fails naming what it lists. */
    void confirm(String address, String mac, Duration timeout, Consumer<String> log) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String last;
        while (true) {
            try {
                List<String> listed = localIpv4s(mac);
                if (listed.contains(address)) {
                    log.accept("instance metadata lists " + address + " on " + mac);
                    return;
                }
                last = "it lists " + (listed.isEmpty() ? "nothing" : String.join(", ", listed));
            } catch (IOException | AgentFailure e) {
                last = e.getMessage();
            }
            if (System.nanoTime() >= end) {
                throw new AgentFailure("bound " + address + " on the host, but the instance metadata's local-ipv4s of interface " + mac
                        + " do not list it after " + timeout.toSeconds() + " s (" + last + "): EC2 has not given this ENI the"
                        + " address, so it would receive none of its traffic");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    List<String> localIpv4s(String mac) throws IOException, InterruptedException {
        String token = token();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/latest/meta-data/network/interfaces/macs/" + mac
                        + "/local-ipv4s")).timeout(REQUEST_TIMEOUT).header("X-aws-ec2-metadata-token", token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            throw new AgentFailure("the instance metadata has no interface " + mac);
        }
        if (r.statusCode() != 200) {
            throw new AgentFailure("the instance metadata answered HTTP " + r.statusCode() + " for local-ipv4s of " + mac);
        }
        return Arrays.stream(r.body().split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** IMDSv2's session token; a minute is enough for one confirm's requests. */
    private String token() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/latest/api/token")).timeout(REQUEST_TIMEOUT)
                .header("X-aws-ec2-metadata-token-ttl-seconds", "60").PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || r.body().isBlank()) {
            throw new AgentFailure("the instance metadata service refused a session token (HTTP " + r.statusCode() + ")");
        }
        return r.body().strip();
    }
}
