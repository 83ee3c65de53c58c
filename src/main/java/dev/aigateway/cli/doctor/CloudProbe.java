package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.provider.bedrock.BedrockProbe;
import dev.aigateway.provider.http.HttpCall;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a network exists, tries the cloud credentials {@link CloudCredentials} found: Bedrock's ListFoundationModels,
 * signed as the gateway signs. Only an answer from the cloud changes the offline finding: credentials that cannot be
 * resolved here, or an endpoint that cannot be reached, leave it as it is.
 */
final class CloudProbe {
    private CloudProbe() {}

    static Finding confirm(DoctorContext ctx, Deployment d, String label, Finding offline) {
        if (offline.status() != Status.PASS || !"bedrock".equals(d.provider()) || usesApiKey(ctx, d)) return offline;
        HttpCall call;
        try {
            call = BedrockProbe.listModels(d);
        } catch (RuntimeException e) { // no credentials here (an instance role off its instance): the offline finding stands
            return offline;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        call.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        DoctorHttp.Answer r = ctx.http().get(call.url(), headers);
        if (!r.answered()) return offline;
        String said = ctx.redact("HTTP " + r.status() + ": " + r.errorMessage(), d.param("aws_secret_access_key"), d.param("aws_session_token"));
        if (r.status() >= 200 && r.status() < 300) {
            JsonNode models = r.json() == null ? null : r.json().path("modelSummaries");
            return Finding.pass(ProviderKeysCheck.NAME, label + ": credentials accepted" + (models != null && models.isArray()
                    ? " (" + models.size() + " models)" : ""));
        }
        if (r.status() == 403) {
            return Finding.fail(ProviderKeysCheck.NAME, label + ": AWS refused the credentials (" + said + ")",
                    "check the access keys, and that the identity is allowed " + BedrockProbe.PERMISSION + " (and bedrock:InvokeModel) in IAM");
        }
        return Finding.warn(ProviderKeysCheck.NAME, label + ": AWS answered " + said, "check the region and the AWS status page, then try again");
    }

    /** A Bedrock API key (bearer) cannot list models: the offline finding is all the doctor can say. */
    private static boolean usesApiKey(DoctorContext ctx, Deployment d) {
        boolean named = d.param("aws_access_key_id") != null || d.param("aws_profile_name") != null || d.param("aws_role_name") != null;
        return !named && (d.apiKey() != null || ctx.settings().env("AWS_BEARER_TOKEN_BEDROCK") != null);
    }
}
