package io.purifier.server.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.purifier.server.auth.Role;
import io.purifier.server.osgi.BundleDeployer;

import java.util.LinkedHashMap;
import java.util.Map;

/** Lists bundles; admins deploy (upload) and remove them. */
final class BundleEndpoints {

    private final Services s;

    BundleEndpoints(Services services) {
        this.s = services;
    }

    void register(Javalin app) {
        app.get("/api/bundles", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(s.deployer().list());
        });
        app.post("/api/bundles", this::upload);
        app.delete("/api/bundles/{symbolicName}", this::remove);
    }

    private void upload(Context ctx) throws Exception {
        var user = Auth.require(ctx, Role.ADMIN);
        Uploads.Upload upload = Uploads.read(ctx, s.config().dataDir().resolve("tmp"), s.config().maxUploadBytes(), "upload.jar");
        BundleDeployer.Deployed deployed = s.deployer().deploy(upload.file(), upload.fileName());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bundle", deployed.bundle());
        out.put("replaced", deployed.replaced());
        out.put("deployedBy", user.name());
        ctx.status(deployed.replaced() ? 200 : 201).json(out);
    }

    private void remove(Context ctx) throws Exception {
        Auth.require(ctx, Role.ADMIN);
        String bsn = ctx.pathParam("symbolicName");
        if (!s.deployer().remove(bsn)) {
            throw ApiException.notFound("no deployed bundle named '" + bsn + "'");
        }
        ctx.status(204);
    }
}
