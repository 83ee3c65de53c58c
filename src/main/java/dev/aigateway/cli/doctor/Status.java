package dev.aigateway.cli.doctor;

import java.util.Locale;

/** How a check came out: PASS (fine), WARN (works, but worth a look), FAIL (broken: the doctor exits 1). */
public enum Status {
    PASS, WARN, FAIL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
