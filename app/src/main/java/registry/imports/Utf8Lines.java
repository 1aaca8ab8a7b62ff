package registry.imports;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of an uploaded file on their way to the CSV reader, checked to be UTF-8 and counted:
 * bytes for the progress line, line feeds for the line a problem is on. A decoder that refuses bad
 * bytes would say so only for the buffer it was decoding, thousands of lines ahead of the row the
 * reader has given out; here the line is exact.
 */
final class Utf8Lines extends FilterInputStream {
    private long bytes;
    private long lineFeeds;
    /** Continuation bytes still owed by the sequence under way, and the range the next one must be in. */
    private int owed;
    /** The first byte of the character being read, and where it is: what a broken character is reported by. */
    private int lead;
    private long leadAt;
    private int low = 0x80;
    private int high = 0xBF;

    Utf8Lines(InputStream in) {
        super(in);
    }

    /** Bytes read so far. */
    long bytes() {
        return bytes;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            check(b);
        } else {
            end();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            end();
        }
        for (int i = 0; i < n; i++) {
            check(buffer[offset + i] & 0xFF);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("an import reads every byte");
    }

    /** One byte through the UTF-8 state machine (RFC 3629: no overlong forms, surrogates or values past U+10FFFF). */
    private void check(int b) {
        bytes++;
        if (owed > 0) {
            if (b < low || b > high) {
                // The byte that starts the broken character is the one to find in the file: a Latin-1
                // "É" is 0xC9 followed by a letter, and the letter is not what is wrong.
                throw bad(lead, leadAt);
            }
            owed--;
            low = 0x80;
            high = 0xBF;
            return;
        }
        if (b < 0x80) {
            if (b == '\n') {
                lineFeeds++;
            }
            return;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            owed = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            owed = 2;
            low = b == 0xE0 ? 0xA0 : 0x80;
            high = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
            owed = 3;
            low = b == 0xF0 ? 0x90 : 0x80;
            high = b == 0xF4 ? 0x8F : 0xBF;
        } else {
            throw bad(b, bytes - 1);
        }
        lead = b;
        leadAt = bytes - 1;
    }

    private void end() {
        if (owed > 0) {
            throw new ImportFailure(lineFeeds + 1, "The file is not UTF-8 text: it ends inside a character. Save it as CSV UTF-8");
        }
    }

    private ImportFailure bad(int b, long at) {
        return new ImportFailure(lineFeeds + 1, String.format(
                "The file is not UTF-8 text (byte 0x%02X at offset %d). Save it as CSV UTF-8 and upload it again", b, at));
    }
}
