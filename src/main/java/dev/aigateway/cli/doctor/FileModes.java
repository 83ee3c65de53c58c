package dev.aigateway.cli.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Unix file modes as {@code stat -c %a} prints them ("600"), or null on a file system without them. */
final class FileModes {
    private FileModes() {}

    static String octal(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return "" + digit(p, PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)
                    + digit(p, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE)
                    + digit(p, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
    }

    /** Every bit of {@code mode} is also set in {@code limit} ("600" is within "644", "664" is not). */
    static boolean within(String mode, String limit) {
        for (int i = 0; i < 3; i++) {
            int m = mode.charAt(i) - '0';
            int l = limit.charAt(i) - '0';
            if ((m & ~l) != 0) return false;
        }
        return true;
    }

    private static int digit(Set<PosixFilePermission> p, PosixFilePermission r, PosixFilePermission w, PosixFilePermission x) {
        return (p.contains(r) ? 4 : 0) + (p.contains(w) ? 2 : 0) + (p.contains(x) ? 1 : 0);
    }
}
