package dev.aigateway.cli.litellm;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * NaCl's {@code crypto_secretbox} (XSalsa20-Poly1305), both directions: what LiteLLM's older releases (PyNaCl's
 * {@code SecretBox}) encrypted stored credentials with. The JDK has neither XSalsa20 nor Poly1305, and the importer
 * opens a handful of short values, so this small, self-contained version (checked against NaCl's published vector in
 * SecretBoxTest) is enough; it makes no attempt at constant time beyond the tag comparison.
 *
 * <p>Layout, as PyNaCl writes it: {@code nonce(24) | tag(16) | ciphertext}.
 */
public final class SecretBox {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 24;
    public static final int TAG_BYTES = 16;
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574}; // "expand 32-byte k"
    private static final BigInteger P = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));
    private static final BigInteger CLAMP = new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16);
    private static final BigInteger MOD128 = BigInteger.ONE.shiftLeft(128);

    private final byte[] key;

    public SecretBox(byte[] key) {
        if (key.length != KEY_BYTES) throw new IllegalArgumentException("a secretbox key is 32 bytes");
        this.key = key.clone();
    }

    /** {@code tag | ciphertext} of {@code message} under {@code nonce} (the nonce is not included). */
    public byte[] seal(byte[] nonce, byte[] message) {
        byte[] stream = keyStream(nonce, 32 + message.length);
        byte[] out = new byte[TAG_BYTES + message.length];
        for (int i = 0; i < message.length; i++) out[TAG_BYTES + i] = (byte) (message[i] ^ stream[32 + i]);
        byte[] tag = poly1305(Arrays.copyOfRange(stream, 0, 32), out, TAG_BYTES, message.length);
        System.arraycopy(tag, 0, out, 0, TAG_BYTES);
        return out;
    }

    /** The message of {@code tag | ciphertext}, or null when the tag does not verify (wrong key, or altered). */
    public byte[] open(byte[] nonce, byte[] boxed) {
        if (boxed.length < TAG_BYTES) return null;
        int length = boxed.length - TAG_BYTES;
        byte[] stream = keyStream(nonce, 32 + length);
        byte[] expected = poly1305(Arrays.copyOfRange(stream, 0, 32), boxed, TAG_BYTES, length);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(boxed, 0, TAG_BYTES))) return null;
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) out[i] = (byte) (boxed[TAG_BYTES + i] ^ stream[32 + i]);
        return out;
    }

    /** PyNaCl's {@code SecretBox.decrypt} of {@code nonce | tag | ciphertext}; null when it does not open. */
    public byte[] openCombined(byte[] combined) {
        if (combined.length < NONCE_BYTES + TAG_BYTES) return null;
        return open(Arrays.copyOfRange(combined, 0, NONCE_BYTES), Arrays.copyOfRange(combined, NONCE_BYTES, combined.length));
    }

    // --- XSalsa20

    private byte[] keyStream(byte[] nonce, int length) {
        if (nonce.length != NONCE_BYTES) throw new IllegalArgumentException("a secretbox nonce is 24 bytes");
        int[] sub = hsalsa20(words(key, 0, 8), words(nonce, 0, 4));
        int[] n = words(nonce, 16, 2);
        byte[] out = new byte[length];
        int[] block = new int[16];
        for (long counter = 0; counter * 64 < length; counter++) {
            int[] state = state(sub, n[0], n[1], (int) counter, (int) (counter >>> 32));
            System.arraycopy(state, 0, block, 0, 16);
            rounds(block);
            for (int i = 0; i < 16; i++) {
                int w = block[i] + state[i];
                for (int b = 0; b < 4; b++) {
                    int at = (int) (counter * 64) + i * 4 + b;
                    if (at < length) out[at] = (byte) (w >>> (8 * b));
                }
            }
        }
        return out;
    }

    private static int[] hsalsa20(int[] k, int[] n16) {
        int[] x = state(k, n16[0], n16[1], n16[2], n16[3]);
        rounds(x);
        return new int[]{x[0], x[5], x[10], x[15], x[6], x[7], x[8], x[9]};
    }

    private static int[] state(int[] k, int a, int b, int c, int d) {
        return new int[]{SIGMA[0], k[0], k[1], k[2], k[3], SIGMA[1], a, b, c, d, SIGMA[2], k[4], k[5], k[6], k[7], SIGMA[3]};
    }

    private static void rounds(int[] x) {
        for (int i = 0; i < 10; i++) {
            quarter(x, 0, 4, 8, 12);
            quarter(x, 5, 9, 13, 1);
            quarter(x, 10, 14, 2, 6);
            quarter(x, 15, 3, 7, 11);
            quarter(x, 0, 1, 2, 3);
            quarter(x, 5, 6, 7, 4);
            quarter(x, 10, 11, 8, 9);
            quarter(x, 15, 12, 13, 14);
        }
    }

    private static void quarter(int[] x, int a, int b, int c, int d) {
        x[b] ^= Integer.rotateLeft(x[a] + x[d], 7);
        x[c] ^= Integer.rotateLeft(x[b] + x[a], 9);
        x[d] ^= Integer.rotateLeft(x[c] + x[b], 13);
        x[a] ^= Integer.rotateLeft(x[d] + x[c], 18);
    }

    private static int[] words(byte[] in, int from, int count) {
        int[] w = new int[count];
        for (int i = 0; i < count; i++) {
            int o = from + 4 * i;
            w[i] = (in[o] & 0xff) | (in[o + 1] & 0xff) << 8 | (in[o + 2] & 0xff) << 16 | (in[o + 3] & 0xff) << 24;
        }
        return w;
    }

    // --- Poly1305

    private static byte[] poly1305(byte[] oneTimeKey, byte[] data, int from, int length) {
        BigInteger r = littleEndian(oneTimeKey, 0, 16).and(CLAMP);
        BigInteger s = littleEndian(oneTimeKey, 16, 16);
        BigInteger acc = BigInteger.ZERO;
        for (int off = 0; off < length; off += 16) {
            int n = Math.min(16, length - off);
            BigInteger chunk = littleEndian(data, from + off, n).setBit(8 * n);
            acc = acc.add(chunk).multiply(r).mod(P);
        }
        byte[] be = acc.add(s).mod(MOD128).toByteArray();
        byte[] tag = new byte[TAG_BYTES];
        for (int i = 0; i < TAG_BYTES && i < be.length; i++) tag[i] = be[be.length - 1 - i];
        return tag;
    }

    private static BigInteger littleEndian(byte[] in, int from, int length) {
        byte[] be = new byte[length + 1]; // a leading zero keeps it positive
        for (int i = 0; i < length; i++) be[length - i] = in[from + i];
        return new BigInteger(be);
    }
}
