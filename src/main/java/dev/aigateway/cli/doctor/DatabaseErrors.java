package dev.aigateway.cli.doctor;

import java.util.Locale;

/**
 * What a PostgreSQL connection error means and what fixes it, for the cases a LiteLLM stack's "PostgreSQL won't connect?"
 * and its PostgreSQL log table name: the password changed, the server is down, the database or role is missing.
 */
final class DatabaseErrors {
    record Explanation(String message, String fix) {}

    private DatabaseErrors() {}

    static Explanation explain(String error, DatabaseTarget t) {
        String e = error == null ? "" : error;
        String lower = e.toLowerCase(Locale.ROOT);
        String where = t.host() + ":" + t.port();
        String restart = ", then ./ai-gateway stop && ./ai-gateway start";
        if (lower.contains("password authentication failed")) {
            return new Explanation("password changed: PostgreSQL at " + where + " refuses the password in DATABASE_URL for user " + t.user()
                    + " (" + e + ")", "update the password in DATABASE_URL in .env (or reset it: psql -h " + t.host() + " -U postgres -c \"ALTER USER "
                    + t.user() + " PASSWORD '...'\")" + restart);
        }
        if (lower.contains("no password was provided")) {
            return new Explanation("PostgreSQL at " + where + " asks for a password and DATABASE_URL has none",
                    "put the password in DATABASE_URL in .env: postgresql://" + t.user() + ":PASSWORD@" + where + "/" + t.database() + restart);
        }
        if (lower.contains("refused")) {
            return new Explanation("PostgreSQL is not running at " + where + " (connection refused)",
                    "start PostgreSQL (sudo systemctl start postgresql), or correct host and port in DATABASE_URL in .env");
        }
        if (lower.contains("database \"" + t.database().toLowerCase(Locale.ROOT) + "\" does not exist") || lower.matches("(?s).*database \".*\" does not exist.*")) {
            return new Explanation("the database " + t.database() + " does not exist on " + where + " (" + e + ")",
                    "createdb -h " + t.host() + " -p " + t.port() + " -U " + (t.user() == null ? "postgres" : t.user()) + " " + t.database()
                            + " (or correct the database name in DATABASE_URL in .env)");
        }
        if (lower.matches("(?s).*role \".*\" does not exist.*")) {
            return new Explanation("the user " + t.user() + " in DATABASE_URL does not exist on " + where + " (" + e + ")",
                    "create it (createuser -h " + t.host() + " -U postgres -P " + t.user() + ") or correct the user and password in DATABASE_URL in .env");
        }
        if (lower.contains("pg_hba.conf")) {
            return new Explanation("PostgreSQL at " + where + " does not accept connections from this host for " + t.user() + " (" + e + ")",
                    "add a host line for this address to pg_hba.conf and reload PostgreSQL (sudo systemctl reload postgresql)");
        }
        if (lower.contains("unknownhost") || lower.contains("unknown host") || lower.contains("name or service not known")) {
            return new Explanation("the host " + t.host() + " in DATABASE_URL cannot be resolved", "correct the host in DATABASE_URL in .env");
        }
        if (lower.contains("timed out") || lower.contains("timeout")) {
            return new Explanation("PostgreSQL at " + where + " did not answer in time (" + e + ")",
                    "check that PostgreSQL runs and that no firewall drops the connection (pg_isready -h " + t.host() + " -p " + t.port() + ")");
        }
        return new Explanation("cannot connect to PostgreSQL at " + where + ": " + e,
                "check DATABASE_URL in .env and that PostgreSQL runs (pg_isready -h " + t.host() + " -p " + t.port() + ")");
    }
}
