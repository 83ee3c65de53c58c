package dev.aigateway.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.json.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.error.GatewayException;
import dev.aigateway.router.Deployment;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Realistic payloads for the benchmarks: what a chat client, OpenAI, Anthropic and Gemini actually send. */
public final class Payloads {
    private Payloads() {}

    /** A ~2 KB multi-turn OpenAI chat request with a tool call, its result, and two tool definitions. */
    public static final String CHAT_REQUEST = """
            {"model":"bench","messages":[\
            {"role":"system","content":"You are a helpful travel assistant. Answer concisely, use the tools when you need live data, and always state the units you use."},\
            {"role":"user","content":"I'm flying from Berlin to Lisbon next Tuesday. What's the weather going to be like when I land, and do I need a jacket?"},\
            {"role":"assistant","content":null,"tool_calls":[{"id":"call_Wd8iKq3XQ2yY4rTnA1bC","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Lisbon\\",\\"date\\":\\"2026-12-01\\",\\"units\\":\\"celsius\\"}"}}]},\
            {"role":"tool","tool_call_id":"call_Wd8iKq3XQ2yY4rTnA1bC","content":"{\\"city\\":\\"Lisbon\\",\\"date\\":\\"2026-12-01\\",\\"forecast\\":\\"light rain\\",\\"high_c\\":16,\\"low_c\\":10,\\"wind_kph\\":22,\\"humidity\\":81}"},\
            {"role":"assistant","content":"Expect light rain in Lisbon on Tuesday, 10 to 16 °C with a fresh breeze of 22 km/h. Yes, bring a light waterproof jacket."},\
            {"role":"user","content":"Great, thanks. Can you check whether flight TP 531 is usually on time? And suggest something to do on a rainy afternoon there, ideally near the river."}],\
            "tools":[\
            {"type":"function","function":{"name":"get_weather","description":"Get the weather forecast for a city on a given date.","parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name, e.g. Lisbon"},"date":{"type":"string","format":"date","description":"ISO date"},"units":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","date"],"additionalProperties":false}}},\
            {"type":"function","function":{"name":"get_flight_status","description":"On-time statistics and live status of a flight.","parameters":{"type":"object","properties":{"flight_number":{"type":"string","description":"IATA flight number, e.g. TP 531"},"date":{"type":"string","format":"date"}},"required":["flight_number"],"additionalProperties":false}}}],\
            "tool_choice":"auto","temperature":0.7,"top_p":0.95,"max_tokens":1024,"stop":["\\n\\nUser:"],"user":"user-8c1f2e"}""";

    /** Anthropic's answer to it: text and a tool_use block. */
    public static final String ANTHROPIC_MESSAGE = """
            {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",\
            "content":[{"type":"text","text":"Let me look up the on-time record of TP 531 for you. Meanwhile, on a rainy afternoon by the river, the MAAT museum in Belém and the nearby Electricity Museum are both indoors and a short walk from the water."},\
            {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_flight_status","input":{"flight_number":"TP 531","date":"2026-12-01"}}],\
            "stop_reason":"tool_use","stop_sequence":null,\
            "usage":{"input_tokens":612,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":96,"service_tier":"standard"}}""";

    /** Gemini's answer to it: text and a functionCall. */
    public static final String GEMINI_RESPONSE = """
            {"candidates":[{"content":{"role":"model","parts":[\
            {"text":"Let me look up the on-time record of TP 531 for you. Meanwhile, on a rainy afternoon by the river, the MAAT museum in Belém and the nearby Electricity Museum are both indoors and a short walk from the water."},\
            {"functionCall":{"name":"get_flight_status","args":{"flight_number":"TP 531","date":"2026-12-01"}}}]},\
            "finishReason":"STOP","index":0,"safetyRatings":[]}],\
            "usageMetadata":{"promptTokenCount":598,"candidatesTokenCount":91,"totalTokenCount":689,"promptTokensDetails":[{"modality":"TEXT","tokenCount":598}]},\
            "modelVersion":"gemini-2.5-flash","responseId":"mK3lZ9qGHqCz1MkP5pWq8Qs"}""";

    /** Words of a streamed answer, one per chunk. */
    private static final String[] WORDS = ("Let me look up the on-time record of TP 531 for you. Meanwhile, on a rainy afternoon "
            + "by the river, the MAAT museum in Belém and the nearby Electricity Museum are both indoors and close to the water.").split(" ");

    /** OpenAI's stream for that answer, one SSE event per buffer (as the upstream writes them): role, words, finish, usage, [DONE]. */
    public static List<Buffer> openAiStream() {
        List<Buffer> out = new ArrayList<>();
        String head = "data: {\"id\":\"chatcmpl-BfG7x2pQk9\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[";
        out.add(buf(head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"));
        for (int i = 0; i < WORDS.length; i++) {
            String w = (i == 0 ? "" : " ") + WORDS[i];
            out.add(buf(head + "{\"index\":0,\"delta\":{\"content\":\"" + w + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"));
        }
        out.add(buf(head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"));
        out.add(buf(head + "],\"usage\":{\"prompt_tokens\":612,\"completion_tokens\":" + WORDS.length + ",\"total_tokens\":"
                + (612 + WORDS.length) + ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n"));
        out.add(buf("data: [DONE]\n\n"));
        return out;
    }

    /** Anthropic's stream for the same answer (text deltas, then a tool_use block), one event per buffer. */
    public static List<Buffer> anthropicStream() {
        List<Buffer> out = new ArrayList<>();
        out.add(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\",\"stop_reason\":null,\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":612,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}"));
        out.add(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        out.add(event("ping", "{\"type\": \"ping\"}"));
        for (int i = 0; i < WORDS.length; i++) {
            String w = (i == 0 ? "" : " ") + WORDS[i];
            out.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + w + "\"}}"));
        }
        out.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        out.add(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                + "\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"name\":\"get_flight_status\",\"input\":{}}}"));
        for (String piece : new String[] {"{\"flight_", "number\": \"TP 531\"", ", \"date\": \"2026-", "12-01\"}"}) {
            out.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                    + Json.MAPPER.getNodeFactory().textNode(piece) + "}}"));
        }
        out.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"));
        out.add(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":96}}"));
        out.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return out;
    }

    /** Gemini's SSE stream (alt=sse) for the same answer: a few words per event, then the function call with usage. */
    public static List<Buffer> geminiStream() {
        List<Buffer> out = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (int i = 0; i < WORDS.length; i++) {
            piece.append(i == 0 ? "" : " ").append(WORDS[i]);
            if (i % 4 == 3 || i == WORDS.length - 1) {
                out.add(buf("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + Json.MAPPER.getNodeFactory().textNode(piece.toString())
                        + "}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":598,\"totalTokenCount\":598},"
                        + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"mK3lZ9qGHqCz1MkP5pWq8Qs\"}\r\n\r\n"));
                piece.setLength(0);
            }
        }
        out.add(buf("data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_flight_status\",\"args\":"
                + "{\"flight_number\":\"TP 531\",\"date\":\"2026-12-01\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                + "\"usageMetadata\":{\"promptTokenCount\":598,\"candidatesTokenCount\":91,\"totalTokenCount\":689},"
                + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"mK3lZ9qGHqCz1MkP5pWq8Qs\"}\r\n\r\n"));
        return out;
    }

    public static ObjectNode chatRequest() {
        return Json.parseRequest(Buffer.buffer(CHAT_REQUEST));
    }

    /** A config.yaml deployment for a provider, as the router hands it to the provider. */
    public static Deployment deployment(String provider, String model) {
        return new Deployment("bench-" + provider, "bench", provider, model, "sk-bench", null, null, null, null,
                1.0, 0, Json.object(), null, true);
    }

    private static Buffer buf(String s) {
        return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Buffer event(String name, String data) {
        return buf("event: " + name + "\ndata: " + data + "\n\n");
    }

    /** A sink that hands every chunk to a consumer (the benchmark's blackhole or the SSE framing). */
    public static ChunkSink sink(Consumer<ObjectNode> onChunk) {
        return new ChunkSink() {
            @Override public void chunk(ObjectNode chunk) { onChunk.accept(chunk); }
            @Override public void end() { }
            @Override public void fail(GatewayException error) { throw error; }
            @Override public boolean writeQueueFull() { return false; }
            @Override public void drainHandler(Runnable onDrain) { }
        };
    }
}
