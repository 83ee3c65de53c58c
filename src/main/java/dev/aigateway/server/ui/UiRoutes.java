package dev.aigateway.server.ui;

import dev.aigateway.models.ModelService;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Routes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

/**
 * The admin UI's routes: the single-page app under {@code /ui/}, its login, and the two small admin endpoints it adds
 * to the API ({@code POST /model/test}, {@code GET /ui/api/deployments}). Everything else the UI shows comes from the
 * ordinary admin API, called with the session (see {@link SessionAuth}). All are exact or prefix routes that the LLM
 * routes never reach.
 */
public final class UiRoutes {
    private UiRoutes() {}

    public static void register(Routes routes, RequestPipeline pipeline, Vertx vertx, ModelService models) {
        UiState state = UiState.of(vertx, pipeline.gateway());
        StaticFiles files = new StaticFiles(pipeline);
        LoginHandler login = new LoginHandler(pipeline, state);
        DeploymentsHandler deployments = new DeploymentsHandler(pipeline);
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
