package dev.aigateway.cli.doctor;

/**
 * One line of the doctor's report.
 *
 * @param check   what was checked (".env permissions", "database", ...)
 * @param status  pass, warn or fail
 * @param message what was found, never a secret
 * @param fix     the exact command or setting that fixes it; null when there is nothing to fix
 */
public record Finding(String check, Status status, String message, String fix) {

    public static Finding pass(String check, String message) {
        return new Finding(check, Status.PASS, message, null);
    }

    public static Finding warn(String check, String message, String fix) {
        return new Finding(check, Status.WARN, message, fix);
    }

    public static Finding fail(String check, String message, String fix) {
        return new Finding(check, Status.FAIL, message, fix);
    }
}
