package dev.aigateway.provider.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartFormTest {

    static Buffer form(String boundary, String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) b.append("--").append(boundary).append("\r\n").append(p).append("\r\n");
        return Buffer.buffer(b.append("--").append(boundary).append("--\r\n").toString(), "ISO-8859-1");
    }

    @Test
    void boundaryIsTakenFromAFormContentTypeOnly() {
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
        assertThat(MultipartForm.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"")).isEqualTo("a b");
        assertThat(MultipartForm.boundary("application/json")).isNull();
        assertThat(MultipartForm.boundary("multipart/form-data")).isNull();
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=" + "x".repeat(71))).isNull();
    }

    @Test
    void fieldsFilesAndRepeatedNamesBecomeTheRequestAndEncodeBack() {
        byte[] audio = {0, 1, '\r', '\n', '-', '-', 'X', (byte) 0xff}; // a CRLF and dashes, but never the delimiter
        Buffer body = form("B",
                "Content-Disposition: form-data; name=\"model\"\r\n\r\nwhisper",
                "Content-Disposition: form-data; name=\"timestamp_granularities[]\"\r\n\r\nword",
                "Content-Disposition: form-data; name=\"timestamp_granularities[]\"\r\n\r\nsegment",
                "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".wav\"\r\nContent-Type: audio/wav\r\n\r\n"
                        + new String(audio, StandardCharsets.ISO_8859_1));
        ObjectNode request = MultipartForm.parse(body, "B").asRequest();
        assertThat(request.path("model").asText()).isEqualTo("whisper");
        assertThat(request.path("timestamp_granularities[]")).hasSize(2);
        MultipartForm.Part file = MultipartForm.file(request.get("file"));
        assertThat(file.filename()).isEqualTo("a \"b\".wav");
        assertThat(file.contentType()).isEqualTo("audio/wav");
        assertThat(file.data().getBytes()).isEqualTo(audio);

        request.put("model", "whisper-1");
        Buffer encoded = MultipartForm.encode(request, "NEW");
        ObjectNode again = MultipartForm.parse(encoded, "NEW").asRequest();
        assertThat(again.path("model").asText()).isEqualTo("whisper-1");
        assertThat(again.path("timestamp_granularities[]").get(1).asText()).isEqualTo("segment");
        assertThat(MultipartForm.file(again.get("file")).data().getBytes()).isEqualTo(audio);
        assertThat(MultipartForm.file(again.get("file")).filename()).isEqualTo("a \"b\".wav");
    }

    @Test
    void malformedOrOversizedFormsAre400() {
        assertBad(Buffer.buffer("no boundary here"), "malformed");
        assertBad(Buffer.buffer("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed"), "malformed");
        assertBad(form("B", "Content-Type: text/plain\r\n\r\nnameless"), "malformed");
        String[] many = new String[MultipartForm.MAX_PARTS + 1];
        for (int i = 0; i < many.length; i++) many[i] = "Content-Disposition: form-data; name=\"f" + i + "\"\r\n\r\nv";
        assertBad(form("B", many), "more than " + MultipartForm.MAX_PARTS + " parts");
        assertBad(form("B", "Content-Disposition: form-data; name=\"prompt\"\r\n\r\n" + "x".repeat(MultipartForm.MAX_FIELD_BYTES + 1)), "longer than");
        assertBad(Buffer.buffer("--B\r\n" + "X-Pad: " + "y".repeat(MultipartForm.MAX_HEADER_BYTES) + "\r\n\r\nv\r\n--B--\r\n"), "headers");
    }

    static void assertBad(Buffer body, String message) {
        assertThatThrownBy(() -> MultipartForm.parse(body, "B")).isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).status()).isEqualTo(400)).hasMessageContaining(message);
    }
}
