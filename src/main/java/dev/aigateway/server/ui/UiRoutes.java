package dev.aigateway.server.ui;

import dev.aigateway.config.TrustedProxies;
import dev.aigateway.models.ModelService;
import dev.aigateway.router.Router;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Routes;
import io.vertx.core.http.HttpMethod;

import java.time.Clock;

/**
 * The admin UI's routes: the single-page app under {@code /ui/}, its login, and the two small admin endpoints it adds
 * to the API ({@code POST /model/test}, {@code GET /ui/api/deployments}). Everything else the UI shows comes from the
 * ordinary admin API, called with the session (see {@link SessionAuth}). All are exact or prefix routes that the LLM
 * routes never reach.
 *
 * <p>Built once with what the UI's handlers use (the one {@link UiState} among them); {@link #register} then gives
 * each event loop's route table its own handlers over its own pipeline.
 */
public final class UiRoutes {
    private final UiState state;
    private final TrustedProxies trustedProxies;
    private final String version;
    private final Router router;
    private final Clock clock;
    private final ModelService models;

    public UiRoutes(UiState state, TrustedProxies trustedProxies, String version, Router router, Clock clock, ModelService models) {
        this.state = state;
        this.trustedProxies = trustedProxies;
        this.version = version;
        this.router = router;
        this.clock = clock;
        this.models = models;
    }

    public void register(Routes routes, RequestPipeline pipeline) {
        StaticFiles files = new StaticFiles(pipeline);
        LoginHandler login = new LoginHandler(pipeline, state, trustedProxies, version);
        DeploymentsHandler deployments = new DeploymentsHandler(pipeline, router, clock);
        ModelTestHandler modelTest = new ModelTestHandler(pipeline, models);
        routes.add(HttpMethod.GET, "/ui", files::index)
                .add(HttpMethod.POST, "/ui/login", login::login)
                .add(HttpMethod.POST, "/ui/logout", login::logout)
                .add(HttpMethod.GET, "/ui/session", login::session)
                .add(HttpMethod.GET, "/ui/api/deployments", deployments::list)
                .add(HttpMethod.POST, "/model/test", modelTest::test)
                .addPrefix(HttpMethod.GET, "/ui/", files::asset);
    }
}
