package io.purifier.server;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The usage of every command of {@code purifier}, answered for {@code --help} or {@code -h} anywhere after the
 * command, before anything runs (so {@code user add --help} never adds a user named {@code --help}).
 */
final class CommandHelp {

    private static final Set<String> FLAGS = Set.of("--help", "-h");

    private static final Map<String, String> USAGES = Map.of(
            "serve", """
                    Usage: purifier serve [--port N] [--bind ADDRESS]

                    Starts the server with the settings of conf/purifier.properties; prints the URL and where the admin
                    token is. Stop it with Ctrl-C.
                    """,
            "run", """
                    Usage: purifier run FILE [--json]

                    Runs the pipeline in FILE (the JSON the web UI shows, e.g. conf/pipelines/example.json; its format is
                    docs/pipeline.schema.json) without starting the HTTP server, records it in the run history, prints
                    progress and a metrics table. --json prints the full run record instead of the table.
                    """,
            "user", """
                    Usage: purifier user add NAME --role admin|researcher|viewer | user list | user revoke NAME | user token NAME

                    Manages the users of this installation's history (also while a server runs). Add --help after a
                    subcommand for its own usage.
                    """,
            "user add", """
                    Usage: purifier user add NAME [--role admin|researcher|viewer]

                    Adds a user (role researcher unless given) and prints its token once.
                    """,
            "user list", """
                    Usage: purifier user list

                    Lists the users with their role, creation time and whether they are active or revoked.
                    """,
            "user revoke", """
                    Usage: purifier user revoke NAME

                    Revokes a user: every token of the user stops working at once.
                    """,
            "user token", """
                    Usage: purifier user token NAME

                    Issues another token for a user and prints it once.
                    """,
            "version", """
                    Usage: purifier version

                    Prints the version of this installation.
                    """);

    private CommandHelp() {
    }

    /** Whether {@code args} ask for help. */
    static boolean wanted(List<String> args) {
        return args.stream().anyMatch(FLAGS::contains);
    }

    /**
     * The usage of {@code command} (of its subcommand when {@code args} start with one it knows), or null when the
     * command answers its own help.
     */
    static String of(String command, List<String> args) {
        if (!args.isEmpty() && USAGES.containsKey(command + " " + args.get(0))) {
            return USAGES.get(command + " " + args.get(0));
        }
        return USAGES.get(command);
    }
}
