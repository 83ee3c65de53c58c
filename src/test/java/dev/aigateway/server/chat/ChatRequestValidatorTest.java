package dev.aigateway.server.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The chat request checks on their own: each rule's 400 names its field in {@code param}, each bound is accepted at
 * its edge and refused one past it, and what a provider may take differently passes through untouched.
 */
class ChatRequestValidatorTest {
    static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    static ObjectNode body(String fields) {
        return (ObjectNode) Json.parse("{" + fields + "}");
    }

    static ObjectNode chat(String extra) {
        return body(HI + (extra.isEmpty() ? "" : "," + extra));
    }

    /** The 400 the body gets; the test fails if it passes. */
    static GatewayException refused(ObjectNode body) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> ChatRequestValidator.validate(body));
        assertThat(e).as("should be refused: " + body).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("invalid_request_error");
        return e;
    }

    static void accepted(ObjectNode body) {
        assertThat(ChatRequestValidator.validate(body)).as("should pass: " + body).isSameAs(body);
    }

    @Test
    void aMinimalRequestPassesUnchangedWithFieldsTheGatewayDoesNotKnow() {
        ObjectNode b = chat("\"model\":\"anything/at-all\",\"vendor_extension\":{\"x\":1},\"num_retries\":3");
        String before = b.toString();
        accepted(b);
        assertThat(b.toString()).isEqualTo(before);
    }

    @Test
    void messagesAreRequiredAnArrayAndNotEmpty() {
        assertThat(refused(body("\"model\":\"m\"")).getMessage()).isEqualTo("Missing required parameter: 'messages'.");
        assertThat(refused(body("\"messages\":null")).param()).isEqualTo("messages");
        assertThat(refused(body("\"messages\":\"hi\"")).getMessage()).contains("expected an array");
        assertThat(refused(body("\"messages\":[]")).getMessage()).contains("at least one message");
        assertThat(refused(body("\"messages\":[\"hi\"]")).getMessage()).contains("'messages[0]'");
    }

    @Test
    void eachMessageNeedsAKnownRoleAndContentNamedByItsIndex() {
        GatewayException noRole = refused(body("\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"content\":\"b\"}]"));
        assertThat(noRole.param()).isEqualTo("messages");
        assertThat(noRole.getMessage()).isEqualTo("Missing required parameter: 'messages[1].role'.");
        assertThat(refused(body("\"messages\":[{\"role\":\"robot\",\"content\":\"a\"}]")).getMessage())
                .startsWith("Invalid value for 'messages[0].role': 'robot'.");
        assertThat(refused(body("\"messages\":[{\"role\":\"user\"}]")).getMessage()).isEqualTo("Missing required parameter: 'messages[0].content'.");
        assertThat(refused(body("\"messages\":[{\"role\":\"user\",\"content\":5}]")).getMessage()).contains("'messages[0].content'");
        for (String role : new String[] {"system", "developer", "user", "assistant", "function"}) {
            accepted(body("\"messages\":[{\"role\":\"" + role + "\",\"content\":\"x\"}]"));
        }
    }

    @Test
    void anAssistantMessageMayOmitContentOnlyWhenItCallsTools() {
        accepted(body("\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]"));
        accepted(body("\"messages\":[{\"role\":\"assistant\",\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}}]"));
        assertThat(refused(body("\"messages\":[{\"role\":\"assistant\",\"content\":null}]")).getMessage()).contains("'messages[0].content'");
        assertThat(refused(body("\"messages\":[{\"role\":\"user\",\"tool_calls\":[{\"function\":{\"name\":\"f\"}}]}]")).getMessage())
                .as("only an assistant").contains("'messages[0].content'");
        assertThat(refused(body("\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{}}]}]")).getMessage())
                .isEqualTo("Missing required parameter: 'messages[0].tool_calls[0].function.name'.");
        assertThat(refused(body("\"messages\":[{\"role\":\"assistant\",\"content\":\"x\",\"tool_calls\":{}}]")).getMessage())
                .contains("'messages[0].tool_calls': expected an array");
    }

    @Test
    void aToolMessageNeedsItsToolCallId() {
        accepted(body("\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"42\"}]"));
        assertThat(refused(body("\"messages\":[{\"role\":\"tool\",\"content\":\"42\"}]")).getMessage())
                .isEqualTo("Missing required parameter: 'messages[0].tool_call_id'.");
    }

    @Test
    void contentPartsNeedTheirTypeAndPayloadOtherTypesPassThrough() {
        accepted(body("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}},{\"type\":\"image_url\",\"image_url\":\"https://x/z.png\"},"
                + "{\"type\":\"input_audio\",\"input_audio\":{}}]}]"));
        assertThat(refused(body("\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}]")).getMessage())
                .isEqualTo("Missing required parameter: 'messages[0].content[0].type'.");
        assertThat(refused(body("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]")).getMessage())
                .isEqualTo("Missing required parameter: 'messages[0].content[0].text'.");
        assertThat(refused(body("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\"}]}]")).getMessage())
                .isEqualTo("Missing required parameter: 'messages[0].content[1].image_url.url'.");
    }

    /** field, an accepted edge value, a refused value just past it, and a word the refusal's message holds. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "temperature       | 2                      | 2.0001                 | outside the range",
            "temperature       | 0                      | -0.1                   | outside the range",
            "top_p             | 1                      | 1.01                   | outside the range",
            "presence_penalty  | -2                     | -2.5                   | outside the range",
            "frequency_penalty | 2                      | 3                      | outside the range",
            "n                 | 128                    | 129                    | above maximum",
            "n                 | 1                      | 0                      | below minimum",
            "max_tokens        | 2147483647             | 2147483648             | above maximum",
            "max_tokens        | 1                      | 0                      | below minimum",
            "max_completion_tokens | 2147483647         | 2147483648             | above maximum",
            "top_logprobs      | 20                     | 21                     | above maximum",
            "top_k             | 0                      | -1                     | below minimum",
            "top_k             | 2147483647             | 2147483648             | above maximum",
            "seed              | -9223372036854775808   | 9223372036854775808    | above maximum",
            "n                 | 2                      | 2.0                    | expected an integer",
            "max_tokens        | 10                     | 1e400                  | expected an integer",
            "temperature       | 1.5                    | \"1\"                  | expected a number",
            "temperature       | 1                      | 1e400                  | outside the range",
    })
    void numbersAreBoundedAtTheirEdges(String field, String edge, String past, String word) {
        accepted(chat("\"" + field + "\":" + edge));
        GatewayException e = refused(chat("\"" + field + "\":" + past));
        assertThat(e.param()).isEqualTo(field);
        assertThat(e.getMessage()).contains("'" + field + "'").contains(word);
    }

    @Test
    void booleansAndStringsAreTyped() {
        for (String f : new String[] {"stream", "logprobs"}) {
            accepted(chat("\"" + f + "\":true"));
            assertThat(refused(chat("\"" + f + "\":\"true\"")).param()).isEqualTo(f);
        }
        accepted(chat("\"user\":\"u-1\""));
        assertThat(refused(chat("\"user\":42")).param()).isEqualTo("user");
        accepted(chat("\"stream_options\":{\"include_usage\":true}"));
        assertThat(refused(chat("\"stream_options\":true")).param()).isEqualTo("stream_options");
    }

    @Test
    void stopIsAStringOrUpToSixteenStrings() {
        accepted(chat("\"stop\":\"END\""));
        accepted(chat("\"stop\":[" + "\"s\",".repeat(ChatRequestValidator.MAX_STOP - 1) + "\"s\"]"));
        GatewayException tooMany = refused(chat("\"stop\":[" + "\"s\",".repeat(ChatRequestValidator.MAX_STOP) + "\"s\"]"));
        assertThat(tooMany.param()).isEqualTo("stop");
        assertThat(tooMany.getMessage()).contains("maximum length 16").contains("length 17");
        assertThat(refused(chat("\"stop\":[\"a\",1]")).param()).isEqualTo("stop");
        assertThat(refused(chat("\"stop\":5")).param()).isEqualTo("stop");
    }

    @Test
    void toolsAreAnArrayOfNamedFunctionsAtMost128() {
        String tool = "{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}";
        accepted(chat("\"tools\":[" + (tool + ",").repeat(ChatRequestValidator.MAX_TOOLS - 1) + tool + "]"));
        assertThat(refused(chat("\"tools\":[" + (tool + ",").repeat(ChatRequestValidator.MAX_TOOLS) + tool + "]")).param()).isEqualTo("tools");
        GatewayException unnamed = refused(chat("\"tools\":[" + tool + ",{\"type\":\"function\",\"function\":{}}]"));
        assertThat(unnamed.param()).isEqualTo("tools");
        assertThat(unnamed.getMessage()).isEqualTo("Missing required parameter: 'tools[1].function.name'.");
        accepted(chat("\"tools\":[{\"type\":\"web_search\"}]")); // a provider's own tool type passes as given
        assertThat(refused(chat("\"tools\":{}")).param()).isEqualTo("tools");
        accepted(chat("\"tool_choice\":\"auto\""));
        accepted(chat("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"));
        assertThat(refused(chat("\"tool_choice\":1")).param()).isEqualTo("tool_choice");
    }

    @Test
    void responseFormatHasAKnownTypeAndASchemaWhenItSaysSo() {
        accepted(chat("\"response_format\":{\"type\":\"json_object\"}"));
        accepted(chat("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{}}}"));
        assertThat(refused(chat("\"response_format\":{\"type\":\"yaml\"}")).param()).isEqualTo("response_format");
        assertThat(refused(chat("\"response_format\":{}")).param()).isEqualTo("response_format");
        assertThat(refused(chat("\"response_format\":\"json\"")).param()).isEqualTo("response_format");
        assertThat(refused(chat("\"response_format\":{\"type\":\"json_schema\"}")).getMessage())
                .isEqualTo("Missing required parameter: 'response_format.json_schema'.");
    }

    @Test
    void aThinkingBudgetIsAnObjectWithABoundedBudgetNamedByItsPath() {
        accepted(chat("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2147483647}"));
        assertThat(refused(chat("\"thinking\":true")).param()).isEqualTo("thinking");
        GatewayException over = refused(chat("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2147483648}"));
        assertThat(over.param()).isEqualTo("thinking.budget_tokens");
        assertThat(over.getMessage()).contains("'thinking.budget_tokens'").contains("above maximum");
        assertThat(refused(chat("\"thinking\":{\"budget_tokens\":-1}")).param()).isEqualTo("thinking.budget_tokens");
    }

    @Test
    void messageCountIsBounded() {
        StringBuilder sb = new StringBuilder("\"messages\":[");
        for (int i = 0; i <= ChatRequestValidator.MAX_MESSAGES; i++) sb.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"x\"}");
        GatewayException e = refused(body(sb.append("]").toString()));
        assertThat(e.param()).isEqualTo("messages");
        assertThat(e.getMessage()).contains("maximum length 100000");
    }
}
