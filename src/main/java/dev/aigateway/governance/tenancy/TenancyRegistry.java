package dev.aigateway.governance.tenancy;

import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.UserRoles;
import dev.aigateway.governance.access.ModelAccess;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.limits.Check;
import dev.aigateway.governance.limits.Holder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenancy in memory: every organization, team, membership, user, end user and named budget, as one immutable
 * {@link TenancySnapshot} swapped whole on reload, so requests answer from it without a query. The database is the source
 * of truth; the snapshot is reloaded (a) at once by whoever changed the tenancy on this instance, (b) when another
 * instance says it changed it (cluster events), and (c) periodically as a safety net. The reload methods block: run them
 * on a worker thread.
 */
public final class TenancyRegistry implements Tenancy, UserRoles {
    private static final Logger LOG = LoggerFactory.getLogger(TenancyRegistry.class);

    private final TenancyStore store;
    private final ModelAccess modelAccess;
    private volatile State now = new State(TenancySnapshot.EMPTY);

    /** Keys whose holders are kept per snapshot: more keys than this are answered without the cache. */
    static final int MAX_CACHED_KEYS = 100_000;

    /**
     * A snapshot and the holders requests read from it, so that a request's {@link #holders} is a map lookup: per key
     * (filled as keys are seen, checked against the key object, which an update replaces) and per end user. Dropped whole
     * with its snapshot.
     */
    private record State(TenancySnapshot snapshot, Map<String, Holder> endUsers, Map<String, KeyHolders> byKey) {
        State(TenancySnapshot snapshot) {
            this(snapshot, endUserHolders(snapshot), new ConcurrentHashMap<>());
        }
    }

    private record KeyHolders(VirtualKey key, List<Holder> holders) {}

    /** @param modelAccess judges the tenancy's model lists by the rules of a key's {@code models} (access groups too) */
    public TenancyRegistry(TenancyStore store, ModelAccess modelAccess) {
        this.store = store;
        this.modelAccess = modelAccess;
    }

    /** What the registry holds now. */
    public TenancySnapshot snapshot() {
        return now.snapshot();
    }

    /** Reads everything again (blocking). */
    public void reload() {
        now = new State(store.load());
    }

    /** The periodic safety net: logs instead of throwing, keeping what is in memory. */
    public void refresh() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warn("Could not refresh teams, users and organizations from the database (keeping the ones in memory): {}", e.getMessage());
        }
    }

    /** The organization a key belongs to: its own, else its team's, else its user's (null: none, or no key). */
    private static String organizationOf(TenancySnapshot s, VirtualKey key) {
        if (key == null) return null;
        if (key.organizationId() != null) return key.organizationId();
        Team team = teamOf(s, key);
        if (team != null && team.organizationId() != null) return team.organizationId();
        User user = userOf(s, key);
        return user == null ? null : user.organizationId();
    }

    @Override
    public String roleOf(String userId) {
        User user = now.snapshot().users().get(userId);
        return user == null || user.role() == null ? null : user.role().wire();
    }

    /** {@code key} is null for the master key (and without auth): then only the end user's limits apply. */
    @Override
    public List<Holder> holders(VirtualKey key, String endUserId) {
        State st = now;
        List<Holder> ofKey = key == null ? List.of() : ofKey(st, key);
        Holder endUser = endUserId == null ? null : st.endUsers().get(endUserId);
        if (endUser == null) return ofKey;
        if (ofKey.isEmpty()) return List.of(endUser);
        List<Holder> out = new ArrayList<>(ofKey.size() + 1);
        out.addAll(ofKey);
        out.add(endUser);
        return out;
    }

    private static List<Holder> ofKey(State st, VirtualKey key) {
        KeyHolders cached = st.byKey().get(key.tokenHash());
        if (cached != null && cached.key() == key) return cached.holders();
        List<Holder> holders = keyHolders(st.snapshot(), key);
        if (cached != null || st.byKey().size() < MAX_CACHED_KEYS) st.byKey().put(key.tokenHash(), new KeyHolders(key, holders));
        return holders;
    }

    /** The organization, team, team membership and user above a key, outermost first. */
    private static List<Holder> keyHolders(TenancySnapshot s, VirtualKey key) {
        List<Holder> out = new ArrayList<>(4);
        String orgId = organizationOf(s, key);
        Organization org = orgId == null ? null : s.organizations().get(orgId);
        if (org != null) {
            out.add(new Holder(Check.Level.ORGANIZATION, org.organizationId(), "Organization=" + org.organizationId(),
                    org.limits(s.budget(org.budgetId())), org.spend(), org.budgetResetAt()));
        }
        Team team = teamOf(s, key);
        if (team != null) out.add(new Holder(Check.Level.TEAM, team.teamId(), "Team=" + team.teamId(), team.limits(), team.spend(), team.budgetResetAt()));
        TeamMember member = s.membership(key.teamId(), key.userId());
        if (member != null) {
            Budget budget = s.budget(member.budgetId() != null ? member.budgetId() : team == null ? null : team.memberBudgetId());
            out.add(new Holder(Check.Level.TEAM_MEMBER, member.id(), "User=" + member.userId() + " in Team=" + member.teamId(),
                    member.limits(budget), member.spend(), member.budgetResetAt()));
        }
        User user = userOf(s, key);
        if (user != null) out.add(new Holder(Check.Level.USER, user.userId(), "User=" + user.userId(), user.limits(), user.spend(), user.budgetResetAt()));
        return List.copyOf(out);
    }

    private static Map<String, Holder> endUserHolders(TenancySnapshot s) {
        Map<String, Holder> out = new HashMap<>();
        for (EndUser e : s.endUsers().values()) {
            out.put(e.userId(), new Holder(Check.Level.END_USER, e.userId(), "End user=" + e.userId(), e.limits(s.budget(e.budgetId())),
                    e.spend(), e.budgetResetAt()));
        }
        return out;
    }

    private static Team teamOf(TenancySnapshot s, VirtualKey key) {
        return key == null || key.teamId() == null ? null : s.teams().get(key.teamId());
    }

    private static User userOf(TenancySnapshot s, VirtualKey key) {
        return key == null || key.userId() == null ? null : s.users().get(key.userId());
    }

    /** {@code key} is null for the master key (and without auth): then only a blocked end user is refused. */
    @Override
    public GatewayException refusal(VirtualKey key, String endUserId, String model) {
        TenancySnapshot s = now.snapshot();
        Team team = teamOf(s, key);
        if (team != null && team.blocked()) {
            return GatewayException.permission("Team=" + team.teamId() + " is blocked. Update via `/team/unblock` if you're an admin.");
        }
        String orgId = organizationOf(s, key);
        Organization org = orgId == null ? null : s.organizations().get(orgId);
        if (org != null && org.blocked()) {
            return GatewayException.permission("Organization=" + org.organizationId() + " is blocked. Update via `/organization/update` if you're an admin.");
        }
        EndUser endUser = endUserId == null ? null : s.endUsers().get(endUserId);
        if (endUser != null && endUser.blocked()) {
            return GatewayException.permission("End user=" + endUser.userId() + " is blocked. Update via `/customer/unblock` if you're an admin.");
        }
        if (model == null) return null;
        if (team != null && !allows(team.models(), model)) return notAllowed("Team=" + team.teamId(), team.models(), model);
        if (org != null && !allows(org.models(), model)) return notAllowed("Organization=" + org.organizationId(), org.models(), model);
        User user = userOf(s, key);
        if (user != null && !allows(user.models(), model)) return notAllowed("User=" + user.userId(), user.models(), model);
        return null;
    }

    /** The one place the tenancy's model lists are judged: by the same rules as a key's own {@code models}. */
    public boolean allows(List<String> models, String model) {
        return modelAccess.allows(models, model);
    }

    private static GatewayException notAllowed(String who, List<String> models, String model) {
        String shown = model.length() > 256 ? model.substring(0, 256) + "..." : model; // the client's own text, bounded
        return GatewayException.permission(who + " is not allowed to call model=" + shown + ". Allowed models: " + models + ".");
    }

    @Override
    public boolean resetBudget(Check.Level level, String id, Instant previousEnd, Instant nextEnd) {
        boolean reset = switch (level) {
            case ORGANIZATION -> store.resetBudget(Table.ORGANIZATIONS, previousEnd, nextEnd, id);
            case TEAM -> store.resetBudget(Table.TEAMS, previousEnd, nextEnd, id);
            case USER -> store.resetBudget(Table.USERS, previousEnd, nextEnd, id);
            case END_USER -> store.resetBudget(Table.END_USERS, previousEnd, nextEnd, id);
            case TEAM_MEMBER -> {
                TeamMember m = now.snapshot().teamMembers().get(id);
                yield m != null && store.resetBudget(Table.TEAM_MEMBERS, previousEnd, nextEnd, m.teamId(), m.userId());
            }
            default -> throw new IllegalArgumentException("Not a holder level: " + level);
        };
        reload();
        return reset;
    }
}
