package io.purifier.server.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.purifier.server.auth.Role;
import io.purifier.server.osgi.BundleDeployer;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/** Lists bundles; admins deploy (upload) and remove them. */
final class BundleEndpoints implements Endpoints {

    private final BundleDeployer deployer;
    private final Uploads.Limits uploads;

    BundleEndpoints(BundleDeployer deployer, Uploads.Limits uploads) {
        this.deployer = deployer;
        this.uploads = uploads;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/bundles", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(deployer.list());
        });
        app.post("/api/bundles", this::upload);
        app.delete("/api/bundles/{symbolicName}", this::remove);
    }

    private void upload(Context ctx) throws Exception {
        var user = Auth.require(ctx, Role.ADMIN);
        boolean dryRun = "true".equalsIgnoreCase(ctx.queryParam("dryRun"));
        Uploads.Upload upload = Uploads.read(ctx, uploads, "upload.jar");
        Map<String, Object> out = new LinkedHashMap<>();
        if (dryRun) {
            try {
                BundleDeployer.Checked checked = deployer.check(upload.file(), upload.fileName());
                out.put("dryRun", true);
                out.put("symbolicName", checked.symbolicName());
                out.put("version", checked.version());
                out.put("plugins", checked.plugins());
                ctx.json(out);
            } finally {
                Files.deleteIfExists(upload.file());
            }
            return;
        }
        BundleDeployer.Deployed deployed = deployer.deploy(upload.file(), upload.fileName());
        out.put("bundle", deployed.bundle());
        out.put("replaced", deployed.replaced());
        out.put("plugins", deployed.plugins());
        out.put("deployedBy", user.name());
        ctx.status(deployed.replaced() ? 200 : 201).json(out);
    }

    private void remove(Context ctx) throws Exception {
        Auth.require(ctx, Role.ADMIN);
        String bsn = ctx.pathParam("symbolicName");
        if (!deployer.remove(bsn)) {
            throw ApiException.notFound("no deployed bundle named '" + bsn + "'");
        }
        ctx.status(204);
    }
}
