package io.mhaserverless.node.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * self-check's answer: the agent runs, at this version, and (when asked about one) reads the binlog
 * directory, holding {@code binlogFiles} binlog files. An unreadable directory is an error answer.
 *
 * @param binlogDir   the directory checked, "" when none was asked about
 * @param binlogFiles the files in it listed by a *.index file, or every regular file when it has no index
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SelfCheckAnswer(String status, String version, String binlogDir, long binlogFiles, String java) {

    public JsonObject toJson() {
        return new JsonObject().put("status", status).put("version", version).put("binlogDir", binlogDir)
                .put("binlogFiles", binlogFiles).put("java", java);
    }
}
