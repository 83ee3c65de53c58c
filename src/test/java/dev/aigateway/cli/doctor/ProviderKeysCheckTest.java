package dev.aigateway.cli.doctor;

import com.sun.net.httpserver.HttpServer;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.aigateway.cli.doctor.DoctorKit.only;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each provider's cheapest key check: the URL and auth header each provider expects, the provider's own error shown
 * on refusal, and the .env variable named in the fix.
 */
class ProviderKeysCheckTest {
    @TempDir
    Path home;
    HttpServer server;
    /** What the fake providers saw: path -> the auth header they received. */
    final Map<String, String> seen = new ConcurrentHashMap<>();

    @BeforeEach
    void providers() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        route("/v1/models", "x-api-key", "right", 401,
                "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}", "{\"data\":[{\"id\":\"claude\"}]}");
        route("/v1beta/models", "x-goog-api-key", "right", 400,
                "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\"}}", "{\"models\":[{\"name\":\"models/gemini\"}]}");
        route("/api/tags", null, null, 0, null, "{\"models\":[{\"name\":\"llama3.2\"}]}");
        route("/openai/models", "api-key", "right", 401,
                "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key or wrong API endpoint.\"}}", "{\"data\":[]}");
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void route(String path, String header, String expected, int refusal, String refusalBody, String okBody) {
        server.createContext(path, ex -> {
            String got = header == null ? "" : ex.getRequestHeaders().getFirst(header);
            seen.put(path, got == null ? "(none)" : got + (ex.getRequestURI().getQuery() == null ? "" : "?" + ex.getRequestURI().getQuery())
                    + (ex.getRequestHeaders().containsKey("anthropic-version") ? " v=" + ex.getRequestHeaders().getFirst("anthropic-version") : ""));
            boolean ok = header == null || expected.equals(got);
            byte[] body = (ok ? okBody : refusalBody).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("content-type", "application/json");
            ex.sendResponseHeaders(ok ? 200 : refusal, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Finding> check(String model, String apiBase, String keyVariable, String key) {
        String yaml = """
                model_list:
                  - model_name: m
                    litellm_params:
                      model: %s
                      api_base: %s
                      api_key: os.environ/%s
                """.formatted(model, apiBase, keyVariable);
        return new DoctorKit(home).env(keyVariable + "=" + key).config(yaml).run(new ProviderKeysCheck());
    }

    @Test
    void openAiRejectingTheKeyShowsOpenAisMessageAndNamesTheVariable() {
        try (FakeOpenAi fake = new FakeOpenAi("sk-right-key-0123456789")) {
            Finding bad = only(check("openai/gpt-4o-mini", fake.openAiBase(), "OPENAI_API_KEY", "sk-wrong-key-0123456789"));
            assertThat(bad.status()).isEqualTo(Status.FAIL);
            assertThat(bad.message()).startsWith("m (openai/gpt-4o-mini): the provider rejected the key at " + fake.host()
                    + " (HTTP 401: Incorrect API key provided: sk-");
            assertThat(bad.message()).doesNotContain("sk-wrong-key-0123456789");
            assertThat(bad.fix()).isEqualTo("update the key: OPENAI_API_KEY in .env, then ./ai-gateway stop && ./ai-gateway start");

            Finding good = only(check("openai/gpt-4o-mini", fake.openAiBase(), "OPENAI_API_KEY", "sk-right-key-0123456789"));
            assertThat(good).isEqualTo(Finding.pass(ProviderKeysCheck.NAME, "m (openai/gpt-4o-mini): key accepted at " + fake.host() + " (1 models listed)"));
            assertThat(fake.requests()).extracting(r -> r.method() + " " + r.path()).containsOnly("GET /v1/models");
        }
    }

    @Test
    void anthropicGeminiAzureAndOllamaAreAskedTheirOwnWay() {
        Finding anthropic = only(check("anthropic/claude-sonnet-4-5", base(), "ANTHROPIC_API_KEY", "wrong"));
        assertThat(anthropic.message()).contains("the provider rejected the key").contains("HTTP 401: invalid x-api-key");
        assertThat(seen.get("/v1/models")).isEqualTo("wrong v=2023-06-01");
        assertThat(only(check("anthropic/claude-sonnet-4-5", base(), "ANTHROPIC_API_KEY", "right")).status()).isEqualTo(Status.PASS);

        Finding gemini = only(check("gemini/gemini-2.5-flash", base(), "GEMINI_API_KEY", "wrong"));
        assertThat(gemini.status()).isEqualTo(Status.FAIL);
        assertThat(gemini.message()).contains("HTTP 400: API key not valid");
        assertThat(gemini.fix()).contains("GEMINI_API_KEY in .env");
        assertThat(only(check("gemini/gemini-2.5-flash", base(), "GEMINI_API_KEY", "right")).message()).contains("(1 models listed)");

        Finding azure = only(check("azure/my-deployment", base(), "AZURE_API_KEY", "wrong"));
        assertThat(azure.message()).contains("HTTP 401: Access denied");
        assertThat(seen.get("/openai/models")).isEqualTo("wrong?api-version=2024-10-21");

        Finding ollama = only(check("ollama/llama3.2", base(), "UNUSED", "x"));
        assertThat(ollama).isEqualTo(Finding.pass(ProviderKeysCheck.NAME, "m (ollama/llama3.2): reachable at " + base() + " (1 models listed)"));
    }

    /** Vertex AI signs in with Google credentials: the doctor finds the project and where the credentials come from. */
    @Test
    void vertexProjectAndCredentialsAreFound() throws Exception {
        String vertex = """
                model_list:
                  - model_name: gem
                    litellm_params:
                      model: vertex_ai/gemini-2.5-flash
                      %s
                """;
        Path key = home.resolve("sa.json");
        java.nio.file.Files.writeString(key, "{\"type\": \"service_account\", \"project_id\": \"from-key\", "
                + "\"client_email\": \"gw@from-key.iam.gserviceaccount.com\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n\"}");
        Finding ok = only(new DoctorKit(home).env("HOME=" + home).config(vertex.formatted("vertex_credentials: " + key)).run(new ProviderKeysCheck()));
        assertThat(ok).isEqualTo(Finding.pass(ProviderKeysCheck.NAME,
                "gem (vertex_ai/gemini-2.5-flash): project from-key, credentials from vertex_credentials (service_account) (not tried against Google)"));
        assertThat(ok.message()).doesNotContain("MIIE");

        Finding noProject = only(new DoctorKit(home).env("HOME=" + home).config(vertex.formatted("vertex_location: us-east5")).run(new ProviderKeysCheck()));
        assertThat(noProject.status()).isEqualTo(Status.FAIL);
        assertThat(noProject.message()).isEqualTo("gem (vertex_ai/gemini-2.5-flash): no Google Cloud project");

        Finding metadataOnly = only(new DoctorKit(home).env("HOME=" + home, "VERTEXAI_PROJECT=p1").config(vertex.formatted("vertex_location: global"))
                .run(new ProviderKeysCheck()));
        assertThat(metadataOnly.status()).isEqualTo(Status.WARN);
        assertThat(metadataOnly.message()).contains("project p1, no credentials file");

        Finding broken = only(new DoctorKit(home).env("HOME=" + home, "GOOGLE_APPLICATION_CREDENTIALS=" + home.resolve("missing.json"))
                .config(vertex.formatted("vertex_project: p1")).run(new ProviderKeysCheck()));
        assertThat(broken.status()).isEqualTo(Status.FAIL);
        assertThat(broken.message()).contains("GOOGLE_APPLICATION_CREDENTIALS names a file that cannot be read");
    }

    /** Bedrock: a region, and where the AWS credentials come from, as the gateway would look for them. */
    @Test
    void bedrockRegionAndCredentialSourceAreFound() throws Exception {
        String bedrock = """
                model_list:
                  - model_name: claude
                    litellm_params:
                      model: bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0
                      %s
                """;
        Finding keys = only(new DoctorKit(home).env("HOME=" + home, "AWS_KEY=AKIDEXAMPLE", "AWS_SECRET=wJalrXUtnFEMI")
                .config(bedrock.formatted("aws_region_name: eu-west-1\n      aws_access_key_id: os.environ/AWS_KEY\n      aws_secret_access_key: os.environ/AWS_SECRET"))
                .run(new ProviderKeysCheck()));
        assertThat(keys).isEqualTo(Finding.pass(ProviderKeysCheck.NAME, "claude (bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0): "
                + "region eu-west-1, credentials from the keys in config.yaml (not tried against AWS)"));
        assertThat(keys.message()).doesNotContain("AKIDEXAMPLE").doesNotContain("wJalrXUtnFEMI");

        Finding noRegion = only(new DoctorKit(home).env("HOME=" + home).config(bedrock.formatted("aws_profile_name: dev")).run(new ProviderKeysCheck()));
        assertThat(noRegion.status()).isEqualTo(Status.FAIL);
        assertThat(noRegion.message()).endsWith(": no AWS region");

        Finding noProfile = only(new DoctorKit(home).env("HOME=" + home, "AWS_REGION=us-east-1").config(bedrock.formatted("aws_profile_name: dev"))
                .run(new ProviderKeysCheck()));
        assertThat(noProfile.status()).isEqualTo(Status.FAIL);
        assertThat(noProfile.message()).contains("AWS profile 'dev' is not in ~/.aws/credentials");
        java.nio.file.Files.createDirectories(home.resolve(".aws"));
        java.nio.file.Files.writeString(home.resolve(".aws/credentials"), "[dev]\naws_access_key_id = AKID\naws_secret_access_key = s\n");
        Finding profile = only(new DoctorKit(home).env("HOME=" + home, "AWS_REGION=us-east-1").config(bedrock.formatted("aws_profile_name: dev"))
                .run(new ProviderKeysCheck()));
        assertThat(profile.status()).isEqualTo(Status.PASS);
        assertThat(profile.message()).contains("region us-east-1, credentials from the AWS profile 'dev'");

        Finding nothing = only(new DoctorKit(home).env("HOME=" + home.resolve("elsewhere"), "AWS_REGION=us-east-1")
                .config(bedrock.formatted("aws_role_name: arn:aws:iam::123456789012:role/gw")).run(new ProviderKeysCheck()));
        assertThat(nothing.status()).isEqualTo(Status.WARN);
        assertThat(nothing.message()).contains("only an instance role can sign here");
    }

    /** Where Bedrock answers, the credentials are tried: ListFoundationModels signed with SigV4, as the gateway signs. */
    @Test
    void bedrockCredentialsAreTriedAgainstBedrockWhereItAnswers() throws Exception {
        try (dev.aigateway.fakes.FakeBedrock fake = new dev.aigateway.fakes.FakeBedrock()) {
            String config = """
                    model_list:
                      - model_name: claude
                        litellm_params:
                          model: bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0
                          aws_region_name: us-east-1
                          aws_bedrock_runtime_endpoint: %s
                          aws_access_key_id: os.environ/AWS_KEY
                          aws_secret_access_key: os.environ/AWS_SECRET
                    """.formatted(fake.host());
            Finding ok = only(new DoctorKit(home).env("HOME=" + home, "AWS_KEY=" + dev.aigateway.fakes.FakeBedrock.ACCESS_KEY,
                    "AWS_SECRET=" + dev.aigateway.fakes.FakeBedrock.SECRET).config(config).run(new ProviderKeysCheck()));
            assertThat(ok).isEqualTo(Finding.pass(ProviderKeysCheck.NAME,
                    "claude (bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0): credentials accepted (2 models)"));

            Finding badSecret = only(new DoctorKit(home).env("HOME=" + home, "AWS_KEY=" + dev.aigateway.fakes.FakeBedrock.ACCESS_KEY,
                    "AWS_SECRET=not/the/right/secret0000000000000000").config(config).run(new ProviderKeysCheck()));
            assertThat(badSecret.status()).isEqualTo(Status.FAIL);
            assertThat(badSecret.message()).contains("AWS refused the credentials").contains("signature")
                    .doesNotContain("not/the/right/secret");
            assertThat(badSecret.fix()).contains("bedrock:ListFoundationModels");

            fake.scenario(new dev.aigateway.fakes.Scenario.Error(403, "denied"));
            Finding denied = only(new DoctorKit(home).env("HOME=" + home, "AWS_KEY=" + dev.aigateway.fakes.FakeBedrock.ACCESS_KEY,
                    "AWS_SECRET=" + dev.aigateway.fakes.FakeBedrock.SECRET).config(config).run(new ProviderKeysCheck()));
            assertThat(denied.status()).isEqualTo(Status.FAIL);
            assertThat(denied.message()).contains("not authorized to perform: bedrock:ListFoundationModels");
        }
    }

    @Test
    void unreachableWrongBaseMissingKeyAndMock() throws Exception {
        int closed = TestGateway.freePort();
        Finding down = only(check("openai/gpt-4o", "http://127.0.0.1:" + closed + "/v1", "K", "x"));
        assertThat(down.status()).isEqualTo(Status.FAIL);
        assertThat(down.message()).contains("cannot reach the provider at http://127.0.0.1:" + closed + " (connection refused");
        assertThat(down.fix()).contains("curl -sS http://127.0.0.1:" + closed + "/v1/models");

        Finding notFound = only(check("openai/gpt-4o", base() + "/wrong", "K", "x"));
        assertThat(notFound.status()).isEqualTo(Status.FAIL);
        assertThat(notFound.message()).contains("answered 404");
        assertThat(notFound.fix()).contains("OpenAI-compatible bases end in /v1");

        // credentials inside api_base (user info, query values) are never printed, found or not
        String withSecrets = base().replace("http://", "http://probe-user:url-password-123@") + "/wrong?api-key=query-secret-456";
        Finding hidden = only(check("openai/gpt-4o", withSecrets, "K", "x"));
        assertThat(hidden.message()).contains("answered 404").contains("***@").doesNotContain("url-password-123").doesNotContain("query-secret-456");
        String downWithSecrets = "http://probe-user:url-password-123@127.0.0.1:" + closed + "/v1?api-key=query-secret-456";
        Finding hiddenDown = only(check("openai/gpt-4o", downWithSecrets, "K", "x"));
        assertThat(hiddenDown.message() + hiddenDown.fix()).contains("cannot reach").doesNotContain("url-password-123").doesNotContain("query-secret-456");

        List<Finding> noKey = new DoctorKit(home).env("X=1").config("""
                model_list:
                  - model_name: gpt
                    litellm_params:
                      model: openai/gpt-4o
                  - model_name: mock
                    litellm_params:
                      model: mock/mock-gpt
                """).run(new ProviderKeysCheck());
        assertThat(noKey.get(0).status()).isEqualTo(Status.FAIL);
        assertThat(noKey.get(0).message()).isEqualTo("gpt (openai/gpt-4o): no api_key configured");
        assertThat(noKey.get(1)).isEqualTo(Finding.pass(ProviderKeysCheck.NAME, "mock (mock/mock-gpt): built in, no key needed"));
    }
}
