package dev.aigateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.AnthropicMessagesWire;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.anthropic.AnthropicProvider;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.Upstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * AWS Bedrock ({@code bedrock/<model id | inference profile id | ARN>}): chat through Converse and ConverseStream,
 * embeddings (Titan text, Cohere embed) through InvokeModel. Calls are SigV4-signed with the deployment's AWS
 * credentials ({@link CredentialsCache}, never resolved on an event loop), or carry a Bedrock API key as a bearer token
 * ({@code api_key}, else AWS_BEARER_TOKEN_BEDROCK) when the deployment names no AWS keys, role or profile.
 *
 * <p>Claude goes through InvokeModel with Anthropic's own body where LiteLLM sends it there: {@code bedrock/invoke/<id>}
 * chats, and {@code /v1/messages} clients, whose body and events pass through ({@link AnthropicMessagesWire}).
 */
public final class BedrockProvider implements Provider, AnthropicMessagesWire {
    public static final String NAME = "bedrock";
    static final String INVOKE = "bedrock:InvokeModel";
    static final String INVOKE_STREAM = "bedrock:InvokeModelWithResponseStream";
    private static final String INVOKE_PREFIX = "invoke/";

    private final Upstream upstream;
    private final CredentialsCache credentials;
    private final Clock clock;
    /** Claude through InvokeModel: Anthropic's translation and pass-through, sent Bedrock's way. */
    private final AnthropicProvider claude;

    public BedrockProvider(Vertx vertx, Upstream upstream) {
        this(vertx, upstream, Clock.systemUTC());
    }

    BedrockProvider(Vertx vertx, Upstream upstream, Clock clock) {
        this.upstream = upstream;
        this.clock = clock;
        this.credentials = new CredentialsCache(vertx, clock);
        this.claude = new AnthropicProvider(NAME, new ClaudeOnBedrock(upstream, this::authorized));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Bedrock authenticates with AWS credentials; an api_key (a Bedrock API key) is optional. */
    @Override
    public boolean usesApiKey() {
        return false;
    }

    /** Listing models is another service (bedrock, not bedrock-runtime) and needs resolved credentials: see {@link BedrockProbe}. */
    @Override
    public HttpCall probe(Deployment deployment) {
        return null;
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        Deployment d = request.deployment();
        BedrockErrors errors = new BedrockErrors(INVOKE);
        if (d.model().startsWith(INVOKE_PREFIX)) return claude.chat(request);
        HttpCall call;
        try {
            call = HttpCall.postJson(BedrockEndpoint.url(d, "converse"), Json.toBuffer(ConverseRequest.translate(request.body())));
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return authorized(d, call)
                .compose(c -> upstream.send(c, request, errors::map))
                .map(r -> ConverseResponse.toCompletion(parseObject(r.body()), d.model()));
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        Deployment d = request.deployment();
        BedrockErrors errors = new BedrockErrors(INVOKE_STREAM);
        if (d.model().startsWith(INVOKE_PREFIX)) return claude.chatStream(request, sink);
        HttpCall call;
        try {
            call = HttpCall.postJson(BedrockEndpoint.url(d, "converse-stream"), Json.toBuffer(ConverseRequest.translate(request.body())))
                    .header("accept", "application/vnd.amazon.eventstream");
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return authorized(d, call)
                .compose(c -> upstream.stream(c, request, errors::map, new ConverseStreamDecoder(d.model(), errors), sink));
    }

    @Override
    public Future<ObjectNode> embeddings(ProviderRequest request) {
        Deployment d = request.deployment();
        BedrockErrors errors = new BedrockErrors(INVOKE);
        List<String> inputs;
        String modelId;
        try {
            inputs = BedrockEmbeddings.inputs(request.body());
            modelId = BedrockEndpoint.modelId(d);
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        String url = BedrockEndpoint.url(d, "invoke");
        if (BedrockEmbeddings.isCohere(modelId)) {
            HttpCall call = HttpCall.postJson(url, Json.toBuffer(BedrockEmbeddings.cohereBody(inputs, request.body())));
            return authorized(d, call).compose(c -> upstream.send(c, request, errors::map)).map(r -> {
                List<JsonNode> vectors = new ArrayList<>();
                JsonNode all = parseObject(r.body()).path("embeddings");
                // Embed v4 answers by type ({"float": [...]}); v3 answers the float vectors themselves.
                (all.isObject() ? all.path("float") : all).forEach(vectors::add);
                return BedrockEmbeddings.list(vectors, 0, d.model());
            });
        }
        // Titan: one call per text, in parallel, answered in the inputs' order.
        List<Future<ObjectNode>> calls = new ArrayList<>();
        for (String text : inputs) {
            HttpCall call = HttpCall.postJson(url, Json.toBuffer(BedrockEmbeddings.titanBody(text, request.body())));
            calls.add(authorized(d, call).compose(c -> upstream.send(c, request, errors::map)).map(r -> parseObject(r.body())));
        }
        return Future.all(calls).map(all -> {
            List<JsonNode> vectors = new ArrayList<>();
            long tokens = 0;
            for (Future<ObjectNode> f : calls) {
                vectors.add(f.result().path("embedding"));
                tokens += f.result().path("inputTextTokenCount").asLong();
            }
            return BedrockEmbeddings.list(vectors, tokens, d.model());
        });
    }

    /** Claude models (by id or inference profile) speak Anthropic's Messages API through InvokeModel. */
    @Override
    public boolean passesThrough(Deployment d) {
        return isClaude(d);
    }

    static boolean isClaude(Deployment d) {
        return d.model().contains("anthropic.claude");
    }

    @Override
    public Future<Answer> messages(ProviderRequest request) {
        return claude.messages(request);
    }

    @Override
    public Future<Void> messagesStream(ProviderRequest request, ChunkSink sink) {
        return claude.messagesStream(request, sink);
    }

    /** The call with its credentials: a bearer API key, or a SigV4 signature over the whole request. */
    private Future<HttpCall> authorized(Deployment d, HttpCall call) {
        if (usesBearer(d)) return Future.succeededFuture(call.header("authorization", "Bearer " + d.apiKey()));
        Future<AwsCredentialsIdentity> creds = credentials.get(d);
        if (creds.isComplete()) return creds.map(c -> SigV4.sign(call, c, BedrockEndpoint.region(d), clock));
        // A resolution shared by requests of several event loops completes on one of them: each request continues on its own.
        Context here = Vertx.currentContext();
        Promise<HttpCall> signed = Promise.promise();
        creds.onComplete(ar -> {
            Runnable next = () -> {
                if (ar.failed()) signed.fail(ar.cause());
                else signed.complete(SigV4.sign(call, ar.result(), BedrockEndpoint.region(d), clock));
            };
            if (here == null || here == Vertx.currentContext()) next.run();
            else here.runOnContext(v -> next.run());
        });
        return signed.future();
    }

    /** A Bedrock API key is used only when no AWS credentials are named. */
    static boolean usesBearer(Deployment d) {
        return d.apiKey() != null && !d.apiKey().isBlank() && d.param("aws_access_key_id") == null
                && d.param("aws_role_name") == null && d.param("aws_profile_name") == null;
    }

    private static ObjectNode parseObject(Buffer body) {
        JsonNode n = Json.tryParse(body);
        if (n instanceof ObjectNode o) return o;
        throw GatewayException.upstream(NAME + " returned a body that is not a JSON object.");
    }
}
