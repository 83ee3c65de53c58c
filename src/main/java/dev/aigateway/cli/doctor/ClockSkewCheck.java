package dev.aigateway.cli.doctor;

import dev.aigateway.core.Deployment;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * This machine's clock against the Date header of remote servers: the running gateway (the same clock, unless it
 * runs elsewhere) and every HTTPS provider configured, reusing the provider-key check's answers. A clock off by
 * more than a minute breaks TLS certificate checks and signed requests, and shifts budget windows. With no
 * reachable HTTPS provider (e.g. offline) the check says it could not compare.
 */
public final class ClockSkewCheck implements Check {
    static final String NAME = "clock";
    static final Duration MAX_SKEW = Duration.ofSeconds(60);

    @Override
    public List<Finding> run(DoctorContext ctx) {
        List<String> compared = new ArrayList<>();
        Duration worst = Duration.ZERO;
        String worstAt = null;
        if (ctx.config() != null && ctx.gatewayAnswers()) {
            Duration s = skew(ctx.readiness());
            if (s != null) {
                compared.add("the gateway");
                if (s.abs().compareTo(worst.abs()) > 0) { worst = s; worstAt = ctx.baseUrl(); }
            }
        }
        Set<String> hosts = new LinkedHashSet<>();
        if (ctx.config() != null) {
            for (Deployment d : ctx.config().deployments()) {
                ProviderProbe probe = ProviderProbe.of(d);
                if (!probe.checkable() || !probe.url().startsWith("https://")) continue;
                DoctorHttp.Answer a = ctx.http().get(probe.url(), probe.headers());
                Duration s = skew(a);
                String host = java.net.URI.create(probe.url()).getHost();
                if (s == null || !hosts.add(host)) continue;
                compared.add(host);
                if (s.abs().compareTo(worst.abs()) > 0) { worst = s; worstAt = host; }
            }
        }
        if (compared.isEmpty() || compared.equals(List.of("the gateway"))) {
            return List.of(Finding.pass(NAME, "could not compare with a remote clock (no HTTPS provider configured or reachable)"
                    + (compared.isEmpty() ? "" : "; the gateway's clock matches this machine's")));
        }
        String message = "off by " + worst.toSeconds() + " s at most (compared with " + String.join(", ", compared) + ")";
        if (worst.abs().compareTo(MAX_SKEW) > 0) {
            return List.of(Finding.warn(NAME, "this machine's clock is " + message + ", worst " + worstAt
                    + ": TLS and provider signatures may fail", "sudo timedatectl set-ntp true (or install chrony)"));
        }
        return List.of(Finding.pass(NAME, message));
    }

    /** Remote minus local time, the local time taken halfway through the request; null without a usable Date header. */
    static Duration skew(DoctorHttp.Answer a) {
        if (a == null || !a.answered()) return null;
        String date = a.header("date");
        if (date == null) return null;
        try {
            Instant remote = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Instant local = a.sentAt().plus(Duration.between(a.sentAt(), a.receivedAt()).dividedBy(2));
            Duration d = Duration.between(local, remote);
            // Date has a one-second resolution: differences under two seconds are noise.
            return d.abs().compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
