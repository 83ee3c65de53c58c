package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code config.yaml} is 644 or stricter (no one else may change where requests and keys go), and holds no
 * literal API keys: LiteLLM's setup keeps them in {@code .env} and writes {@code api_key: os.environ/NAME}.
 */
public final class ConfigFileCheck implements Check {
    static final String NAME = "config.yaml permissions";

    @Override
    public List<Finding> run(DoctorContext ctx) {
        Path file = ctx.config() != null && ctx.config().configFile() != null ? ctx.config().configFile() : ctx.workspace().configYaml();
        if (!Files.isRegularFile(file)) {
            return List.of(Finding.pass("config.yaml", "none: the built-in `mock` model is served (./ai-gateway setup writes one with examples)"));
        }
        List<Finding> out = new ArrayList<>();
        String mode = FileModes.octal(file);
        if (mode == null) out.add(Finding.pass(NAME, "not a Unix file system: modes not checked"));
        else if (FileModes.within(mode, "644")) out.add(Finding.pass(NAME, mode));
        else out.add(Finding.warn(NAME, mode + ": other users can change it (or it is executable)", "chmod 644 " + file.getFileName()));
        List<String> literal = new ArrayList<>();
        for (JsonNode m : ctx.rawConfig().path("model_list")) {
            JsonNode key = m.path("litellm_params").path("api_key");
            if (key.isTextual() && !key.asText().isBlank() && !key.asText().startsWith("os.environ/")) literal.add(m.path("model_name").asText("?"));
        }
        if (!literal.isEmpty() && mode != null && !FileModes.within(mode, "600")) {
            out.add(Finding.warn("config.yaml secrets", "literal api_key for " + String.join(", ", literal) + " in a file others can read (mode " + mode + ")",
                    "write api_key: os.environ/NAME in config.yaml and NAME=<key> in .env (or chmod 600 " + file.getFileName() + ")"));
        }
        return out;
    }
}
