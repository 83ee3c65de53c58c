package dev.aigateway.governance.limits;

import io.vertx.core.Future;

import java.time.Clock;

/** PLACEHOLDER (issue 3, being written): admits everything. */
public final class LocalLimiter implements Limiter {
    public LocalLimiter(Clock clock) {}

    @Override
    public Future<Admission> admit(AdmissionRequest request) {
        return Future.succeededFuture(new Admission(request, 0, false, null, null, null, null));
    }

    @Override
    public void settle(Admission admission, Settlement actual) {}

    @Override
    public String redisStatus() {
        return "not configured";
    }
}
