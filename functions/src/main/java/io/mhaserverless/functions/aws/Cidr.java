package io.mhaserverless.functions.aws;

/** An IPv4 CIDR block as EC2 describes a subnet's ({@code 10.0.1.0/24}): enough to ask whether it holds an address. */
record Cidr(long network, int prefix) {

    static Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR block: " + cidr);
        }
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("not an IPv4 CIDR block: " + cidr);
        }
        return new Cidr(ipv4(cidr.substring(0, slash)) & mask(prefix), prefix);
    }

    /** False for anything that is not a dotted IPv4 address. */
    boolean contains(String address) {
        try {
            return (ipv4(address) & mask(prefix)) == network;
        } catch (IllegalArgumentException notIpv4) {
            return false;
        }
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    private static long ipv4(String dotted) {
        String[] parts = dotted.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        long value = 0;
        for (String p : parts) {
            int octet = Integer.parseInt(p);
            if (octet < 0 || octet > 255 || p.isEmpty()) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            value = (value << 8) | octet;
        }
        return value;
    }
}
