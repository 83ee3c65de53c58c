package dev.aigateway.governance;

import dev.aigateway.governance.access.ModelAccess;
import dev.aigateway.governance.keys.KeyRegistry;
import dev.aigateway.governance.keys.KeyStore;
import dev.aigateway.governance.limits.Limiter;
import dev.aigateway.governance.tenancy.Tenancy;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.governance.spend.SpendLog;

import java.time.Clock;

/**
 * Who may call, how much, and what it cost: the governance services a request passes through.
 * All of them answer from memory (or one Redis round trip for shared counters); none queries the database.
 */
public record Governance(
        Authenticator authenticator,
        KeyRegistry keys,
        KeyStore keyStore,
        Limiter limiter,
        Tenancy tenancy,
        Pricing pricing,
        SpendLog spendLog,
        Clock clock,
        ModelAccess modelAccess) {
}
