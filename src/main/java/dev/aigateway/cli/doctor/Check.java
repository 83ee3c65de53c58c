package dev.aigateway.cli.doctor;

import java.util.List;

/**
 * One check of {@code ./ai-gateway doctor}. A check may report several lines (one per provider key, one per
 * file); it never throws for what it finds, and never prints a secret.
 */
public interface Check {
    List<Finding> run(DoctorContext ctx);
}
