package dev.aigateway.cli.doctor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The gateway's resident memory, the machine's total and available memory, and whether the resource profile fits:
 * the LiteLLM stack's "Memory Issues / OOM" trouble, where that stack needed 2.3-2.5 GB and overflowed a 2 GB VPS.
 * The profiles are the launcher's (./ai-gateway): heap at most 192 MB (small), 512 MB (medium), 2 GB (large).
 */
public final class MemoryCheck implements Check {
    static final String NAME = "memory";
    /** Below this a machine is a "small VPS" (2 GB) in LiteLLM operators' terms. */
    static final long SMALL_MACHINE_KB = (long) (2.5 * 1024 * 1024);
    static final long LOW_AVAILABLE_KB = 256 * 1024;

    /** Heap ceiling and the whole process's usual footprint under load, in MB, per profile. */
    enum Profile {
        SMALL(192, 300), MEDIUM(512, 700), LARGE(2048, 2600);

        final int heapMb;
        final int footprintMb;

        Profile(int heapMb, int footprintMb) {
            this.heapMb = heapMb;
            this.footprintMb = footprintMb;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Profile of(String name) {
            try {
                return name == null ? SMALL : valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return SMALL; // the launcher's default; the configuration check reports the bad name
            }
        }
    }

    private final ProcMemory memory;

    public MemoryCheck() {
        this(Path.of("/proc"));
    }

    MemoryCheck(Path proc) {
        this.memory = new ProcMemory(proc);
    }

    @Override
    public List<Finding> run(DoctorContext ctx) {
        Profile profile = Profile.of(ctx.settings().get("GATEWAY_RESOURCE_PROFILE", "RESOURCE_PROFILE"));
        OptionalLong total = memory.totalKb();
        OptionalLong available = memory.availableKb();
        if (total.isEmpty()) return List.of(Finding.pass(NAME, "not measured (no /proc/meminfo on this system); profile " + profile.id()));
        OptionalLong rss = ctx.gatewayPid().map(memory::rssKb).orElse(OptionalLong.empty());
        String summary = (rss.isPresent() ? "gateway RSS " + mb(rss.getAsLong()) : "gateway not running") + " (profile " + profile.id()
                + ", heap at most " + profile.heapMb + " MB); machine " + gb(total.getAsLong()) + " total, "
                + (available.isPresent() ? gb(available.getAsLong()) : "?") + " available";
        List<Finding> out = new ArrayList<>();
        String restart = ", then ./ai-gateway stop && ./ai-gateway start";
        if (total.getAsLong() < SMALL_MACHINE_KB) {
            out.add(Finding.warn(NAME, summary + ": a machine under 2.5 GB; pick the small profile (the gateway needs about "
                    + Profile.SMALL.footprintMb + " MB; Open WebUI ~600 MB and PostgreSQL ~30-50 MB come on top)",
                    profile == Profile.SMALL ? "RESOURCE_PROFILE=small is set; keep it, and use a 4 GB machine if Open WebUI runs here too"
                            : "RESOURCE_PROFILE=small in .env" + restart));
        } else if (profile.footprintMb * 1024L > total.getAsLong() / 2) {
            out.add(Finding.warn(NAME, summary + ": the " + profile.id() + " profile may use about " + profile.footprintMb
                    + " MB, over half of this machine", "RESOURCE_PROFILE=" + (profile == Profile.LARGE ? "medium" : "small") + " in .env" + restart));
        } else {
            out.add(Finding.pass(NAME, summary));
        }
        if (available.isPresent() && available.getAsLong() < LOW_AVAILABLE_KB) {
            out.add(Finding.warn(NAME, "only " + mb(available.getAsLong()) + " available: the kernel may kill processes (OOM)",
                    "free memory (free -h; stop unused services) or use a bigger machine; dmesg | grep -i 'out of memory' shows past kills"));
        }
        return out;
    }

    static String mb(long kb) {
        return (kb / 1024) + " MB";
    }

    static String gb(long kb) {
        return String.format(Locale.ROOT, "%.1f GB", kb / 1048576.0);
    }
}
