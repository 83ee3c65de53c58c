package dev.aigateway.cli.doctor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of PostgreSQL's wire protocol (v3) to refuse a login the way a server with password authentication
 * does after the password changed: SSL and GSS requests are declined, a cleartext password is asked for, and the
 * answer is {@code FATAL 28P01 password authentication failed for user "..."}. The machine's real PostgreSQL trusts
 * every local connection, so a wrong password cannot be shown with it.
 */
public final class FakePostgres implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int PROTOCOL_3 = 196608;

    private final ServerSocket server;
    private final Thread acceptor;

    public FakePostgres() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "fake-postgres");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                refuse(s);
            } catch (IOException e) {
                // closed, or the client went away
            }
        }
    }

    private static void refuse(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        String user = "?";
        while (true) {
            int len = in.readInt();
            int code = in.readInt();
            byte[] rest = new byte[len - 8];
            in.readFully(rest);
            if (code == SSL_REQUEST || code == GSS_REQUEST) {
                out.writeByte('N');
                out.flush();
                continue;
            }
            if (code == PROTOCOL_3) {
                String[] params = new String(rest, StandardCharsets.UTF_8).split("\0");
                for (int i = 0; i + 1 < params.length; i += 2) if (params[i].equals("user")) user = params[i + 1];
                break;
            }
            return;
        }
        out.writeByte('R');       // AuthenticationCleartextPassword
        out.writeInt(8);
        out.writeInt(3);
        out.flush();
        if (in.readByte() != 'p') return;
        byte[] password = new byte[in.readInt() - 4];
        in.readFully(password);
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        field(fields, 'S', "FATAL");
        field(fields, 'V', "FATAL");
        field(fields, 'C', "28P01");
        field(fields, 'M', "password authentication failed for user \"" + user + "\"");
        fields.write(0);
        out.writeByte('E');
        out.writeInt(4 + fields.size());
        out.write(fields.toByteArray());
        out.flush();
    }

    private static void field(ByteArrayOutputStream out, char type, String value) {
        out.write(type);
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
