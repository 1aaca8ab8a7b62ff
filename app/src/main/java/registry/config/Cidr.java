package registry.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** A block of addresses such as {@code 10.0.0.0/8} or {@code ::1/128}; a lone address is a block of one. */
public record Cidr(byte[] network, int bits) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");

    /** The block {@code text} names, when it is an address literal (never a name to look up) with an optional prefix length. */
    public static Optional<Cidr> parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress(); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (bits < 0 || bits > bytes.length * 8) {
                return Optional.empty();
            }
        }
        return Optional.of(new Cidr(bytes, bits));
    }

    /** Whether {@code address} (as the connection gives it) lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] other = address.getAddress();
        if (other.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < bits; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((other[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
