package io.purifier.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.server.ServerConfig;
import io.purifier.server.dispatch.WorkerReports;
import io.purifier.server.inspect.ModelInspector;
import io.purifier.server.osgi.BundleDeployer;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.AttackCache;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.pipeline.RunEvents;
import io.purifier.server.pipeline.RunService;
import io.purifier.server.store.ModelStore;
import io.purifier.server.store.PipelineStore;
import io.purifier.server.store.RunStore;
import io.purifier.server.store.UserStore;
import io.purifier.server.store.WorkerTokenStore;

/**
 * The server's services, as started by {@code PurifierServer} (for the web server's wiring, the CLI and tests).
 * Each endpoint class gets only the few it needs.
 *
 * @param config    server settings
 * @param json      the JSON mapper
 * @param registry  installed plugins
 * @param deployer  bundle deployment
 * @param runs      the run queue
 * @param runStore  run history
 * @param models    uploaded models
 * @param pipelines saved pipelines
 * @param users     users and tokens
 * @param cache     the attack cache
 * @param trainer   the model zoo and trainer (null when unavailable)
 * @param events    live events
 * @param version   the server version
 * @param startedAt when the server started (epoch ms)
 * @param workers   the worker protocol's server side
 * @param workerTokens worker credentials
 * @param inspector checks uploaded model files in a child process
 */
public record Services(ServerConfig config, ObjectMapper json, PluginRegistry registry, BundleDeployer deployer,
                       RunService runs, RunStore runStore, ModelStore models, PipelineStore pipelines, UserStore users,
                       AttackCache cache, ModelTrainer trainer, RunEvents events, String version, long startedAt,
                       WorkerReports workers, WorkerTokenStore workerTokens, ModelInspector inspector) {
}
