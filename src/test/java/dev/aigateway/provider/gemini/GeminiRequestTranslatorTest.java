package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GeminiRequestTranslatorTest {

    private static Deployment deployment(String model, ObjectNode params) {
        return new Deployment("d1", "my-model", "gemini", model, "k", null, null, Duration.ofSeconds(5), null, 1, 0,
                params, Json.object(), true);
    }

    private static JsonNode translate(String json) {
        return translate(json, "gemini-2.5-flash");
    }

    private static JsonNode translate(String json, String model) {
        ObjectNode in = (ObjectNode) Json.parse(json);
        ObjectNode copy = in.deepCopy();
        JsonNode out = GeminiRequestTranslator.translate(in, deployment(model, Json.object()));
        assertThat(in).as("the client's body is not mutated").isEqualTo(copy);
        return out;
    }

    private static GatewayException refused(String json) {
        return catchThrowableOfType(GatewayException.class, () -> translate(json));
    }

    private static final String USER = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

    @Test
    void jsonObjectModeAsksForJson() {
        JsonNode out = translate("{" + USER + ",\"response_format\":{\"type\":\"json_object\"}}");
        assertThat(out.path("generationConfig")).isEqualTo(Json.parse("{\"responseMimeType\":\"application/json\"}"));
    }

    @Test
    void jsonSchemaIsCleanedToWhatGeminiAccepts() {
        JsonNode out = translate("{" + USER + """
                ,"response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,"schema":{
                  "$schema":"http://json-schema.org/draft-07/schema#",
                  "type":"object","additionalProperties":false,
                  "properties":{
                    "name":{"type":"string","format":"uri","minLength":1},
                    "born":{"type":"string","format":"date-time"},
                    "nick":{"anyOf":[{"type":"string"},{"type":"null"}],"default":null},
                    "age":{"type":["integer","null"]},
                    "kind":{"const":"human"},
                    "pet":{"$ref":"#/$defs/Pet","description":"their pet"}},
                  "required":["name","pet","ghost"],
                  "$defs":{"Pet":{"type":"object","additionalProperties":false,
                    "properties":{"legs":{"type":"integer","enum":[2,4]}},"required":["legs"]}}}}}}""");
        assertThat(out.path("generationConfig").path("responseMimeType").asText()).isEqualTo("application/json");
        assertThat(out.path("generationConfig").path("responseSchema")).isEqualTo(Json.parse("""
                {"type":"object",
                 "properties":{
                   "name":{"type":"string","minLength":1},
                   "born":{"type":"string","format":"date-time"},
                   "nick":{"nullable":true,"type":"string","default":null},
                   "age":{"nullable":true,"type":"integer"},
                   "kind":{"enum":["human"]},
                   "pet":{"type":"object","properties":{"legs":{"type":"integer","enum":["2","4"]}},"required":["legs"],
                          "description":"their pet"}},
                 "required":["name","pet"]}"""));
    }

    @Test
    void reasoningEffortBecomesAThinkingBudgetWithThoughtsReturned() {
        assertThat(translate("{" + USER + ",\"reasoning_effort\":\"low\"}").path("generationConfig").path("thinkingConfig"))
                .isEqualTo(Json.parse("{\"thinkingBudget\":1024,\"includeThoughts\":true}"));
        assertThat(translate("{" + USER + ",\"reasoning_effort\":\"medium\"}").path("generationConfig").path("thinkingConfig").path("thinkingBudget").asInt())
                .isEqualTo(2048);
        assertThat(translate("{" + USER + ",\"reasoning_effort\":\"high\"}").path("generationConfig").path("thinkingConfig").path("thinkingBudget").asInt())
                .isEqualTo(4096);
        assertThat(translate("{" + USER + ",\"reasoning_effort\":\"none\"}").path("generationConfig").path("thinkingConfig"))
                .isEqualTo(Json.parse("{\"thinkingBudget\":0}"));
        assertThat(refused("{" + USER + ",\"reasoning_effort\":\"extreme\"}").param()).isEqualTo("reasoning_effort");
    }

    /** Anthropic-style thinking (a /v1/messages request) wins over the effort it was also mapped to. */
    @Test
    void anthropicThinkingIsTheExactBudgetAdaptiveIsDynamicDisabledIsNone() {
        assertThat(translate("{" + USER + ",\"reasoning_effort\":\"high\",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":31999}}")
                .path("generationConfig").path("thinkingConfig"))
                .isEqualTo(Json.parse("{\"thinkingBudget\":31999,\"includeThoughts\":true}"));
        assertThat(translate("{" + USER + ",\"reasoning_effort\":\"medium\",\"thinking\":{\"type\":\"adaptive\"}}")
                .path("generationConfig").path("thinkingConfig"))
                .isEqualTo(Json.parse("{\"thinkingBudget\":-1,\"includeThoughts\":true}"));
        assertThat(translate("{" + USER + ",\"thinking\":{\"type\":\"disabled\"}}").path("generationConfig").path("thinkingConfig"))
                .isEqualTo(Json.parse("{\"thinkingBudget\":0}"));
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokensAndSingleStopIsAList() {
        JsonNode c = translate("{" + USER + ",\"max_tokens\":10,\"max_completion_tokens\":20,\"stop\":\"END\",\"top_k\":5}")
                .path("generationConfig");
        assertThat(c).isEqualTo(Json.parse("{\"topK\":5,\"maxOutputTokens\":20,\"stopSequences\":[\"END\"]}"));
    }

    @Test
    void toolChoiceModes() {
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]";
        assertThat(translate("{" + USER + tools + ",\"tool_choice\":\"auto\"}").path("toolConfig"))
                .isEqualTo(Json.parse("{\"functionCallingConfig\":{\"mode\":\"AUTO\"}}"));
        assertThat(translate("{" + USER + tools + ",\"tool_choice\":\"none\"}").path("toolConfig"))
                .isEqualTo(Json.parse("{\"functionCallingConfig\":{\"mode\":\"NONE\"}}"));
        JsonNode out = translate("{" + USER + tools + "}");
        assertThat(out.has("toolConfig")).isFalse();
        // Gemini rejects an OBJECT schema without properties: a function without parameters has none.
        assertThat(out.path("tools")).isEqualTo(Json.parse("[{\"functionDeclarations\":[{\"name\":\"f\"}]}]"));
    }

    @Test
    void builtInGoogleToolsPassThroughBesideFunctions() {
        JsonNode out = translate("{" + USER + """
                ,"tools":[{"googleSearch":{}},{"type":"function","function":{"name":"f"}}]}""");
        assertThat(out.path("tools")).isEqualTo(Json.parse("[{\"functionDeclarations\":[{\"name\":\"f\"}]},{\"googleSearch\":{}}]"));
    }

    @Test
    void consecutiveSameRoleMessagesAreMergedAndEmptyTurnsDropped() {
        JsonNode out = translate("""
                {"messages":[{"role":"user","content":"a"},{"role":"user","content":[{"type":"text","text":"b"}]},
                  {"role":"assistant","content":""},{"role":"assistant","content":"c"},{"role":"user","content":"d"}]}""");
        assertThat(out.path("contents")).isEqualTo(Json.parse("""
                [{"role":"user","parts":[{"text":"a"},{"text":"b"}]},{"role":"model","parts":[{"text":"c"}]},
                 {"role":"user","parts":[{"text":"d"}]}]"""));
    }

    @Test
    void aLoneSystemPromptIsSentAsTheUserTurn() {
        JsonNode out = translate("{\"messages\":[{\"role\":\"system\",\"content\":\"Say hi\"}]}");
        assertThat(out.has("systemInstruction")).isFalse();
        assertThat(out.path("contents")).isEqualTo(Json.parse("[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hi\"}]}]"));
    }

    @Test
    void toolResultsNeedAKnownCall() {
        GatewayException e = refused("""
                {"messages":[{"role":"user","content":"x"},{"role":"tool","tool_call_id":"call_x","content":"r"}]}""");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("call_x");
        // ... unless the message names the function itself.
        JsonNode out = translate("""
                {"messages":[{"role":"user","content":"x"},{"role":"tool","tool_call_id":"call_x","name":"f","content":["ignored"]}]}""");
        assertThat(out.path("contents").get(0).path("parts").get(1).path("functionResponse").path("name").asText()).isEqualTo("f");
    }

    @Test
    void invalidToolArgumentsAreABadRequest() {
        GatewayException e = refused("""
                {"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[
                  {"id":"c1","type":"function","function":{"name":"f","arguments":"{not json"}}]}]}""");
        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void gemini3CallsWithoutSignatureGetGooglesSkipValue() {
        String json = """
                {"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[
                  {"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}},
                  {"id":"call_2","type":"function","function":{"name":"g","arguments":""}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"1"},{"role":"tool","tool_call_id":"call_2","content":"2"}]}""";
        JsonNode parts = translate(json, "gemini-3-pro-preview").path("contents").get(1).path("parts");
        assertThat(parts.get(0).path("thoughtSignature").asText()).isEqualTo("skip_thought_signature_validator");
        assertThat(parts.get(1).has("thoughtSignature")).isFalse();
        assertThat(parts.get(1).path("functionCall").path("args")).isEqualTo(Json.object());
        assertThat(translate(json, "gemini-2.5-flash").path("contents").get(1).path("parts").get(0).has("thoughtSignature")).isFalse();
    }

    @Test
    void audioAndFileParts() {
        JsonNode parts = translate("""
                {"messages":[{"role":"user","content":[
                  {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},
                  {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}},
                  {"type":"file","file":{"file_id":"https://generativelanguage.googleapis.com/v1beta/files/abc","format":"video/mp4"}}]}]}""")
                .path("contents").get(0).path("parts");
        assertThat(parts).isEqualTo(Json.parse("""
                [{"inlineData":{"mimeType":"audio/wav","data":"UklGRg=="}},
                 {"inlineData":{"mimeType":"application/pdf","data":"JVBERi0="}},
                 {"fileData":{"mimeType":"video/mp4","fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc"}}]"""));
    }

    @Test
    void safetySettingsComeFromTheRequestOrTheDeployment() {
        ObjectNode params = Json.object();
        params.set("safety_settings", Json.parse("[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":\"BLOCK_NONE\"}]"));
        JsonNode out = GeminiRequestTranslator.translate((ObjectNode) Json.parse("{" + USER + "}"), deployment("gemini-2.5-flash", params));
        assertThat(out.path("safetySettings").get(0).path("threshold").asText()).isEqualTo("BLOCK_NONE");
    }
}
