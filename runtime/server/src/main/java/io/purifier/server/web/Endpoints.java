package io.purifier.server.web;

import io.javalin.Javalin;

/** The routes of one resource; each implementation holds only the services that resource needs. */
interface Endpoints {

    /** Adds the routes to {@code app}. */
    void register(Javalin app);
}
