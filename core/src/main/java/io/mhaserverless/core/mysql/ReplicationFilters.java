package io.mhaserverless.core.mysql;

/**
 * The Replicate_* filters of a replica. MHA refuses to run when replicas filter differently: a
 * promoted replica with other filters would silently drop or add data on the rest.
 */
public record ReplicationFilters(String doDb, String ignoreDb, String doTable, String ignoreTable,
                                 String wildDoTable, String wildIgnoreTable) {

    public static final ReplicationFilters NONE = new ReplicationFilters("", "", "", "", "", "");

    static ReplicationFilters from(Row row) {
        return new ReplicationFilters(row.text("Replicate_Do_DB"), row.text("Replicate_Ignore_DB"),
                row.text("Replicate_Do_Table"), row.text("Replicate_Ignore_Table"),
                row.text("Replicate_Wild_Do_Table"), row.text("Replicate_Wild_Ignore_Table"));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        append(out, "Replicate_Do_DB", doDb);
        append(out, "Replicate_Ignore_DB", ignoreDb);
        append(out, "Replicate_Do_Table", doTable);
        append(out, "Replicate_Ignore_Table", ignoreTable);
        append(out, "Replicate_Wild_Do_Table", wildDoTable);
        append(out, "Replicate_Wild_Ignore_Table", wildIgnoreTable);
        return out.isEmpty() ? "no filters" : out.toString();
    }

    private static void append(StringBuilder out, String name, String value) {
        if (!value.isEmpty()) {
            out.append(out.isEmpty() ? "" : ", ").append(name).append('=').append(value);
        }
    }
}
