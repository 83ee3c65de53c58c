package dev.aigateway.cli.doctor;

import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.aigateway.cli.doctor.DoctorKit.only;
import static org.assertj.core.api.Assertions.assertThat;

/** The database check opens its own JDBC connection and explains the PostgreSQL failures LiteLLM operators know. */
class DatabaseCheckTest {
    @TempDir
    Path home;

    Finding check(String databaseUrl) {
        return only(new DoctorKit(home).env("DATABASE_URL=" + databaseUrl).config(DoctorKit.MOCK_ONLY).run(new DatabaseCheck()));
    }

    @Test
    void sqliteNotYetCreatedThenExistingAndWritable() throws Exception {
        Finding fresh = check("sqlite:./data/gateway.db");
        assertThat(fresh.status()).isEqualTo(Status.PASS);
        assertThat(fresh.message()).contains("does not exist yet; it is created at start");
        Files.createDirectories(home.resolve("data"));
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("data/gateway.db"))) {
            c.createStatement().execute("CREATE TABLE t (x INT)");
        }
        Finding existing = check("sqlite:./data/gateway.db");
        assertThat(existing.status()).isEqualTo(Status.PASS);
        assertThat(existing.message()).contains("opens and is writable");
        home.resolve("data/gateway.db").toFile().setWritable(false);
        if (!Files.isWritable(home.resolve("data/gateway.db"))) { // root can write anyway
            assertThat(check("sqlite:./data/gateway.db").status()).isEqualTo(Status.FAIL);
        }
    }

    @Test
    void postgresDownIsConnectionRefusedWithStartPostgresAsTheFix() throws Exception {
        int closed = TestGateway.freePort();
        Finding f = check("postgresql://postgres@127.0.0.1:" + closed + "/gateway");
        assertThat(f).isEqualTo(Finding.fail(DatabaseCheck.NAME, "PostgreSQL is not running at 127.0.0.1:" + closed + " (connection refused)",
                "start PostgreSQL (sudo systemctl start postgresql), or correct host and port in DATABASE_URL in .env"));
    }

    @Test
    void aChangedPasswordIsTheGuidesPasswordChangedCase() throws Exception {
        try (FakePostgres pg = new FakePostgres()) {
            Finding f = check("postgresql://gateway:old-secret@127.0.0.1:" + pg.port() + "/gateway");
            assertThat(f.status()).isEqualTo(Status.FAIL);
            assertThat(f.message()).startsWith("password changed: PostgreSQL at 127.0.0.1:" + pg.port() + " refuses the password in DATABASE_URL for user gateway")
                    .contains("password authentication failed for user \"gateway\"").doesNotContain("old-secret");
            assertThat(f.fix()).startsWith("update the password in DATABASE_URL in .env");
        }
    }

    @Test
    void realPostgresqlReachableAndAMissingRoleOrDatabase() {
        Assumptions.assumeTrue(listening(5432), "PostgreSQL at 127.0.0.1:5432");
        Finding ok = check("postgresql://postgres@127.0.0.1:5432/postgres");
        assertThat(ok.status()).isEqualTo(Status.PASS);
        assertThat(ok.message()).contains("reachable with the configured credentials (PostgreSQL ");
        Finding role = check("postgresql://no_such_role_doctor@127.0.0.1:5432/postgres");
        assertThat(role.status()).isEqualTo(Status.FAIL);
        assertThat(role.message()).startsWith("the user no_such_role_doctor in DATABASE_URL does not exist");
        assertThat(role.fix()).contains("createuser");
        Finding db = check("postgresql://postgres@127.0.0.1:5432/no_such_db_doctor");
        assertThat(db.message()).startsWith("the database no_such_db_doctor does not exist");
        assertThat(db.fix()).startsWith("createdb -h 127.0.0.1 -p 5432 -U postgres no_such_db_doctor");
    }

    @Test
    void explanationsOfServerMessages() {
        DatabaseTarget t = DatabaseTarget.parse("postgresql://app:pw@db.internal:5433/gw", Path.of("/"));
        assertThat(t.display()).isEqualTo("postgresql://app@db.internal:5433/gw");
        assertThat(DatabaseErrors.explain("FATAL: no pg_hba.conf entry for host \"10.0.0.5\"", t).fix()).contains("pg_hba.conf");
        assertThat(DatabaseErrors.explain("The server requested password-based authentication, but no password was provided.", t).fix())
                .contains("postgresql://app:PASSWORD@db.internal:5433/gw");
        assertThat(DatabaseErrors.explain("java.net.UnknownHostException: db.internal", t).message()).contains("cannot be resolved");
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
