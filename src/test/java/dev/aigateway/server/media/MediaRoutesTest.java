package dev.aigateway.server.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import dev.aigateway.core.Json;
import dev.aigateway.provider.openai.FakeMediaApis;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code /v1/images/generations}, {@code /v1/audio/transcriptions}, {@code /v1/audio/speech} and {@code /v1/moderations}
 * through a real gateway, with the official OpenAI Java SDK as the client and {@link FakeOpenAi} as OpenAI and Azure:
 * what reaches the upstream, what the client gets, and the spend row (call type, cost from the price table).
 */
class MediaRoutesTest {
    static final String KEY = "sk-fake-upstream";
    static FakeOpenAi openAi;
    /** An upstream that answers every call with a 503: its models fall back to the working ones. */
    static FakeOpenAi broken;
    static TestGateway gw;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        openAi = new FakeOpenAi(KEY);
        broken = new FakeOpenAi(KEY);
        broken.scenario(new dev.aigateway.fakes.Scenario.Error(503));
        gw = TestGateway.start("""
                general_settings:
                  max_request_size_mb: 1
                router_settings:
                  num_retries: 0
                  fallbacks: [{broken-tts: [tts]}, {broken-whisper: [whisper]}]
                model_list:
                  - model_name: broken-tts
                    litellm_params: {model: openai/tts-1, api_base: %3$s/v1, api_key: %2$s}
                  - model_name: broken-whisper
                    litellm_params: {model: openai/whisper-1, api_base: %3$s/v1, api_key: %2$s}
                  - model_name: dall-e-3
                    litellm_params: {model: openai/dall-e-3, api_base: %1$s/v1, api_key: %2$s}
                  - model_name: azure-images
                    litellm_params: {model: azure/my-dalle, api_base: %1$s, api_key: %2$s, api_version: 2024-10-21}
                    model_info: {mode: image_generation, input_cost_per_image: 0.05}
                  - model_name: whisper
                    litellm_params: {model: openai/whisper-1, api_base: %1$s/v1, api_key: %2$s}
                  - model_name: azure-whisper
                    litellm_params: {model: azure/whisper-1, api_base: %1$s, api_key: %2$s, api_version: 2024-10-21}
                  - model_name: tts
                    litellm_params: {model: openai/tts-1, api_base: %1$s/v1, api_key: %2$s}
                  - model_name: azure-tts
                    litellm_params: {model: azure/tts-1, api_base: %1$s, api_key: %2$s, api_version: 2025-03-01-preview}
                  - model_name: moderation
                    litellm_params: {model: openai/omni-moderation-latest, api_base: %1$s/v1, api_key: %2$s}
                """.formatted(openAi.host(), KEY, broken.host()));
        client = gw.openAi();
    }

    @AfterAll
    static void stop() {
        gw.close();
        openAi.close();
        broken.close();
    }

    @BeforeEach
    void reset() {
        openAi.reset();
        broken.requests().clear();
    }

    static String id() {
        return "media-" + UUID.randomUUID();
    }

    // ---- images ---------------------------------------------------------------------------------------------------

    @Test
    void imageGenerationIsPricedPerPixelOfItsQualityAndSize() {
        String id = id();
        ImagesResponse r = client.images().generate(ImageGenerateParams.builder().model("dall-e-3").prompt("a lighthouse")
                .quality(ImageGenerateParams.Quality.HD).size(ImageGenerateParams.Size.of("1024x1792")).putAdditionalHeader("x-request-id", id).build());
        assertThat(r.data().orElseThrow()).hasSize(1);
        assertThat(r.data().get().get(0).url()).contains("https://fake.example/images/0.png");
        FakeOpenAi.Call call = openAi.lastCall();
        assertThat(call.path()).isEqualTo("/v1/images/generations");
        assertThat(call.json().path("model").asText()).isEqualTo("dall-e-3");
        assertThat(call.json().path("quality").asText()).isEqualTo("hd");

        JsonNode row = gw.spendRowOf(id);
        assertThat(row.path("call_type").asText()).isEqualTo("aimage_generation");
        // hd/1024-x-1792/dall-e-3: 6.539e-08 per pixel
        assertThat(row.path("spend").asDouble()).isCloseTo(1024 * 1792 * 6.539e-08, within(1e-9));
    }

    @Test
    void azureImagesGoToTheDeploymentPathAndModelInfoPricesPerImage() {
        String id = id();
        ImagesResponse r = client.images().generate(ImageGenerateParams.builder().model("azure-images").prompt("a lighthouse").n(3)
                .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).putAdditionalHeader("x-request-id", id).build());
        assertThat(r.data().orElseThrow()).hasSize(3);
        assertThat(r.data().get().get(2).b64Json()).isPresent();
        FakeOpenAi.Call call = openAi.lastCall();
        assertThat(call.api()).isEqualTo(FakeOpenAi.Api.AZURE);
        assertThat(call.path()).isEqualTo("/openai/deployments/my-dalle/images/generations");
        assertThat(call.apiVersion()).isEqualTo("2024-10-21");
        assertThat(call.header("api-key")).isEqualTo(KEY);
        JsonNode row = gw.spendRowOf(id);
        assertThat(row.path("call_type").asText()).isEqualTo("aimage_generation");
        assertThat(row.path("spend").asDouble()).isCloseTo(3 * 0.05, within(1e-12));
    }

    @Test
    void imageRequestsOutOfBoundsAreRefusedBeforeAnyUpstreamCall() {
        var tooMany = gw.post("/v1/images/generations", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"n\":11}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(tooMany).path("error").path("param").asText()).isEqualTo("n");
        var badSize = gw.post("/v1/images/generations", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"size\":\"999999x2\"}");
        assertThat(badSize.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(badSize).path("error").path("param").asText()).isEqualTo("size");
        var noPrompt = gw.post("/images/generations", "{\"model\":\"dall-e-3\"}");
        assertThat(noPrompt.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(noPrompt).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(openAi.calls()).isEmpty();
    }

    @Test
    void aKeyOnlyAllowedImagesIsRefusedSpeech() {
        var generated = gw.post("/key/generate", "{\"models\":[\"dall-e-3\"]}");
        String key = Json.parse(generated.body()).path("key").asText();
        OpenAIClient limited = gw.openAi(key);
        assertThatThrownBy(() -> limited.audio().speech().create(SpeechCreateParams.builder().model("tts").input("hi").voice("alloy").build()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> limited.moderations().create(ModerationCreateParams.builder().input("hi").build()))
                .as("the default moderation model is checked against the key too").isInstanceOf(PermissionDeniedException.class);
        assertThat(openAi.calls()).isEmpty();
    }

    @Test
    void aBudgetReservesWhatTheImagesWillCost() {
        String small = Json.parse(gw.post("/key/generate", "{\"max_budget\":0.1}").body()).path("key").asText();
        // 2 hd 1024x1792 images at 6.539e-08 per pixel: 0.24 USD, over a 0.10 budget: refused before any upstream call
        var refused = gw.post("/v1/images/generations", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"n\":2,\"quality\":\"hd\",\"size\":\"1024x1792\"}", small);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(TestGateway.json(refused).path("error").path("type").asText()).isEqualTo("budget_exceeded");
        assertThat(openAi.calls()).isEmpty();
        var fits = gw.post("/v1/images/generations", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"n\":1,\"size\":\"1024x1024\"}", small);
        assertThat(fits.statusCode()).as("one standard image, 0.04 USD, fits: " + fits.body()).isEqualTo(200);
        assertThat(openAi.lastCall().json().has("max_tokens")).as("no output limit is added to an images request").isFalse();
    }

    // ---- transcriptions -------------------------------------------------------------------------------------------

    @Test
    void transcriptionUploadIsForwardedAsAFormAndPricedPerSecond() throws Exception {
        byte[] audio = new byte[200_000];
        for (int i = 0; i < audio.length; i++) audio[i] = (byte) (i * 7);
        Path file = Files.createTempFile("speech", ".wav");
        Files.write(file, audio);
        String id = id();
        TranscriptionCreateResponse r = client.audio().transcriptions().create(TranscriptionCreateParams.builder().file(file)
                .model("whisper").responseFormat(AudioResponseFormat.VERBOSE_JSON).language("en").putAdditionalHeader("x-request-id", id).build());
        assertThat(r.asVerbose().duration()).isEqualTo(FakeMediaApis.DURATION_SECONDS);
        assertThat(r.asVerbose().text()).startsWith("Fake transcript of 200000 bytes from " + file.getFileName());

        FakeMediaApis.Form form = openAi.lastForm();
        assertThat(form.file()).as("the file reaches the upstream byte for byte").isEqualTo(audio);
        assertThat(form.filename()).isEqualTo(file.getFileName().toString());
        assertThat(form.fields()).containsEntry("model", "whisper-1").containsEntry("language", "en").containsEntry("response_format", "verbose_json");
        assertThat(openAi.lastCall().path()).isEqualTo("/v1/audio/transcriptions");

        JsonNode row = gw.spendRowOf(id);
        assertThat(row.path("call_type").asText()).isEqualTo("atranscription");
        assertThat(row.path("spend").asDouble()).isCloseTo(FakeMediaApis.DURATION_SECONDS * 0.0001, within(1e-12));
        Files.delete(file);
    }

    @Test
    void azureTranscriptionInTextFormatIsAnsweredAsLiteLlmDoes() {
        var r = multipart("/v1/audio/transcriptions", "azure-whisper", "text", new byte[]{1, 2, 3, 4});
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parse(r.body()).path("text").asText()).isEqualTo("Fake transcript of 4 bytes from a.wav\n");
        assertThat(openAi.lastCall().path()).isEqualTo("/openai/deployments/whisper-1/audio/transcriptions");
        assertThat(openAi.lastForm().fileType()).isEqualTo("audio/wav");
    }

    @Test
    void anUploadOverTheBodyLimitIs413AndAFormWithoutAFileIs400() {
        var tooBig = multipart("/v1/audio/transcriptions", "whisper", "json", new byte[2 * 1024 * 1024]);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        var noFile = TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/audio/transcriptions"))
                .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "multipart/form-data; boundary=XyZ")
                .POST(HttpRequest.BodyPublishers.ofString("--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n--XyZ--\r\n")).build());
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(Json.parse(noFile.body()).path("error").path("param").asText()).isEqualTo("file");
        var json = gw.post("/v1/audio/transcriptions", "{\"model\":\"whisper\"}");
        assertThat(json.statusCode()).as("JSON is not a form").isEqualTo(400);
        assertThat(openAi.calls()).isEmpty();
    }

    // ---- speech ---------------------------------------------------------------------------------------------------

    @Test
    void speechAudioIsPassedThroughWithItsContentTypeAndPricedPerCharacter() throws Exception {
        String id = id();
        try (HttpResponse r = client.audio().speech().create(SpeechCreateParams.builder().model("tts").input("Hello gateway")
                .voice("alloy").responseFormat(SpeechCreateParams.ResponseFormat.WAV).putAdditionalHeader("x-request-id", id).build())) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().values("content-type")).containsExactly("audio/wav");
            byte[] audio = readAll(r.body());
            assertThat(audio).hasSize(FakeMediaApis.SPEECH_BYTES);
            byte[] block = FakeMediaApis.speechBlock();
            for (int i = 0; i < audio.length; i += 4099) assertThat(audio[i]).isEqualTo(block[i % block.length]);
        }
        assertThat(openAi.lastCall().json().path("model").asText()).isEqualTo("tts-1");
        assertThat(openAi.lastCall().json().path("voice").asText()).isEqualTo("alloy");
        JsonNode row = gw.spendRowOf(id);
        assertThat(row.path("call_type").asText()).isEqualTo("aspeech");
        assertThat(row.path("spend").asDouble()).isCloseTo("Hello gateway".length() * 1.5e-05, within(1e-12));
    }

    @Test
    void aClientThatLeavesMidAudioIsChargedWhatTheUpstreamWasAsked() {
        String id = id();
        var left = dev.aigateway.testing.LeavingClient.postAndLeave(gw.baseUrl(), "/v1/audio/speech", TestGateway.MASTER_KEY, id,
                "{\"model\":\"tts\",\"input\":\"Hello gateway\",\"voice\":\"alloy\"}", got -> got.contains("audio/mpeg") && got.length() > 20_000, 10_000);
        assertThat(left.left()).as("the client left before the audio ended").isTrue();
        JsonNode row = gw.spendRowOf(id);
        assertThat(row.path("call_type").asText()).isEqualTo("aspeech");
        assertThat(row.path("metadata").path("http_status").asInt()).isEqualTo(499);
        assertThat(row.path("spend").asDouble()).isCloseTo("Hello gateway".length() * 1.5e-05, within(1e-12));
    }

    @Test
    void audioCutOffUpstreamReachesTheClientAsACutConnectionNotACompleteAnswer() {
        openAi.scenario(new dev.aigateway.fakes.Scenario.CutStream(2));
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/audio/speech")).timeout(Duration.ofSeconds(10))
                    .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tts\",\"input\":\"Hi\",\"voice\":\"alloy\"}")).build();
            assertThatThrownBy(() -> java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofByteArray()))
                    .isInstanceOf(java.io.IOException.class);
        } finally {
            openAi.scenario(new dev.aigateway.fakes.Scenario.Text("Hello from the fake!"));
        }
    }

    @Test
    void azureSpeechAndItsInputBound() throws Exception {
        try (HttpResponse r = client.audio().speech().create(SpeechCreateParams.builder().model("azure-tts").input("Hi").voice("nova").build())) {
            assertThat(readAll(r.body())).hasSize(FakeMediaApis.SPEECH_BYTES);
            assertThat(r.headers().values("content-type")).containsExactly("audio/mpeg");
        }
        assertThat(openAi.lastCall().path()).isEqualTo("/openai/deployments/tts-1/audio/speech");
        openAi.reset();
        assertThatThrownBy(() -> client.audio().speech().create(SpeechCreateParams.builder().model("tts").input("x".repeat(4097)).voice("alloy").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("input");
        assertThat(openAi.calls()).isEmpty();
    }

    @Test
    void speechAndTranscriptionFallBackWhenTheirUpstreamFails() throws Exception {
        String id = id();
        try (HttpResponse r = client.audio().speech().create(SpeechCreateParams.builder().model("broken-tts").input("Hi")
                .voice("alloy").putAdditionalHeader("x-request-id", id).build())) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().values("x-gateway-fallback")).containsExactly("tts");
            assertThat(readAll(r.body())).hasSize(FakeMediaApis.SPEECH_BYTES);
        }
        assertThat(broken.requests()).hasSize(1);
        JsonNode row = gw.spendRowOf(id);
        assertThat(row.path("call_type").asText()).isEqualTo("aspeech");
        assertThat(row.path("spend").asDouble()).isCloseTo(2 * 1.5e-05, within(1e-12));

        byte[] audio = {9, 8, 7, 6, 5};
        var r = multipart("/v1/audio/transcriptions", "broken-whisper", "json", audio);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-gateway-fallback")).contains("whisper");
        assertThat(openAi.lastForm().file()).as("the upload is sent again, whole, to the fallback").isEqualTo(audio);
        assertThat(broken.requests()).hasSize(2);
    }

    // ---- moderations ----------------------------------------------------------------------------------------------

    @Test
    void moderationIsFreeAndTakesTheConfiguredModerationModelWhenNoneIsNamed() {
        String id = id();
        ModerationCreateResponse r = client.moderations().create(ModerationCreateParams.builder().input("I hate mondays")
                .putAdditionalHeader("x-request-id", id).build());
        assertThat(r.results()).hasSize(1);
        assertThat(r.results().get(0).flagged()).isTrue();
        assertThat(openAi.lastCall().path()).isEqualTo("/v1/moderations");
        assertThat(openAi.lastCall().json().path("model").asText()).isEqualTo("omni-moderation-latest");
        JsonNode row = gw.spendRowOf(id);
        assertThat(row.path("call_type").asText()).isEqualTo("amoderation");
        assertThat(row.path("model_group").asText()).isEqualTo("moderation");
        assertThat(row.path("spend").asDouble()).isZero();
    }

    @Test
    void healthChecksCallNoChatOnMediaModels() {
        JsonNode health = TestGateway.json(gw.get("/health", TestGateway.MASTER_KEY));
        assertThat(health.path("unhealthy_count").asInt()).as(health.toString()).isZero();
        assertThat(openAi.calls()).extracting(FakeOpenAi.Call::operation).containsExactly("moderations");
        assertThat(health.toString()).contains("skipped: mode image_generation", "skipped: mode audio_speech", "skipped: mode audio_transcription");
    }

    @Test
    void modelInfoShowsTheModesAndUnitPrices() {
        JsonNode data = TestGateway.json(gw.get("/model/info", TestGateway.MASTER_KEY)).path("data");
        java.util.Map<String, JsonNode> byName = new java.util.HashMap<>();
        data.forEach(m -> byName.putIfAbsent(m.path("model_name").asText(), m.path("model_info")));
        assertThat(byName.get("dall-e-3").path("mode").asText()).isEqualTo("image_generation");
        assertThat(byName.get("azure-images").path("input_cost_per_image").asDouble()).isEqualTo(0.05);
        assertThat(byName.get("whisper").path("input_cost_per_second").asDouble()).isEqualTo(0.0001);
        assertThat(byName.get("tts").path("mode").asText()).isEqualTo("audio_speech");
        assertThat(byName.get("tts").path("input_cost_per_character").asDouble()).isEqualTo(1.5e-05);
        assertThat(byName.get("moderation").path("mode").asText()).isEqualTo("moderation");
    }

    static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    /** A transcription upload by hand: a file {@code a.wav} of {@code bytes}, the model and the format. */
    static java.net.http.HttpResponse<String> multipart(String path, String model, String format, byte[] bytes) {
        String b = "gw-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + b + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model + "\r\n"
                + "--" + b + "\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\n" + format + "\r\n"
                + "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "multipart/form-data; boundary=" + b)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }
}
