package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the checks in the order an operator would look (files, keys, process, dependencies, providers, resources,
 * history) and renders the report as text or JSON. A check that crashes becomes a FAIL line instead of a stack trace.
 */
public final class Doctor {
    private static final int NAME_WIDTH = 24;

    private final List<Check> checks;

    public Doctor(List<Check> checks) {
        this.checks = checks;
    }

    public static Doctor standard() {
        return new Doctor(List.of(new DotEnvCheck(), new ConfigFileCheck(), new ConfigurationCheck(), new MasterKeyCheck(),
                new VirtualKeyCheck(), new PortCheck(), new ProcessCheck(), new DatabaseCheck(), new RedisCheck(),
                new ProviderKeysCheck(), new ModelsCheck(), new MemoryCheck(), new DiskCheck(), new LogPatternsCheck(),
                new ClockSkewCheck()));
    }

    public List<Finding> run(DoctorContext ctx) {
        List<Finding> out = new ArrayList<>();
        for (Check c : checks) {
            try {
                out.addAll(c.run(ctx));
            } catch (RuntimeException e) {
                out.add(Finding.fail(c.getClass().getSimpleName().replace("Check", ""), "the check itself failed: " + e,
                        "report this with the output of ./ai-gateway doctor"));
            }
        }
        return out;
    }

    /** 0 when nothing failed (warnings allowed), 1 otherwise. */
    public static int exitCode(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.status() == Status.FAIL) ? 1 : 0;
    }

    /** {@code PASS  .env permissions        600}, with {@code → fix: ...} after what was found when there is a fix. */
    public static String text(List<Finding> findings) {
        return text(findings, "→");
    }

    /** The same with another arrow, for terminals that cannot show "→". */
    public static String text(List<Finding> findings, String arrow) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : findings) {
            sb.append(String.format("%-4s  %-" + NAME_WIDTH + "s %s", f.status().name(), f.check(), f.message()));
            if (f.fix() != null && f.status() != Status.PASS) sb.append("   ").append(arrow).append(" fix: ").append(f.fix());
            sb.append('\n');
        }
        long pass = count(findings, Status.PASS);
        long warn = count(findings, Status.WARN);
        long fail = count(findings, Status.FAIL);
        sb.append('\n').append(pass).append(" passed, ").append(warn).append(warn == 1 ? " warning, " : " warnings, ").append(fail).append(" failed.");
        if (fail == 0) sb.append(warn == 0 ? " All good." : " Nothing is broken; the warnings are worth a look.");
        return sb.append('\n').toString();
    }

    /** {@code [{"check", "status": "pass|warn|fail", "message", "fix"}]}. */
    public static String json(List<Finding> findings) {
        ArrayNode arr = Json.array();
        for (Finding f : findings) {
            ObjectNode o = arr.addObject();
            o.put("check", f.check());
            o.put("status", f.status().id());
            o.put("message", f.message());
            if (f.fix() == null) o.putNull("fix");
            else o.put("fix", f.fix());
        }
        return arr.toPrettyString() + "\n";
    }

    private static long count(List<Finding> findings, Status s) {
        return findings.stream().filter(f -> f.status() == s).count();
    }
}
