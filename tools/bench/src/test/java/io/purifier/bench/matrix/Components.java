package io.purifier.bench.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Installed defenses as {@code GET /api/components} lists them, for the matrix tests. */
final class Components {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Components() {
    }

    static InstalledDefense defense(String json) {
        try {
            return InstalledDefense.of(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** WIPER: a variant parameter (reference, corrected), epochs, labeled clean data. */
    static InstalledDefense wiper() {
        return defense("""
                {"id": "wiper", "kind": "defense", "parameters": [
                  {"name": "variant", "type": "CHOICE", "defaultValue": "reference", "choices": ["reference", "corrected"], "variant": true},
                  {"name": "selection", "type": "CHOICE", "defaultValue": "highest", "choices": ["highest", "lowest"], "variant": false},
                  {"name": "epochs", "type": "INTEGER", "defaultValue": 10, "choices": [], "variant": false}],
                 "dataContract": {"kind": "LABELED_CLEAN", "defaultFraction": 0.05, "outOfDistributionAllowed": false}}""");
    }

    /** BCU: epochs, unlabeled data that may come from another dataset. */
    static InstalledDefense bcu() {
        return defense("""
                {"id": "bcu", "kind": "defense", "parameters": [{"name": "epochs", "type": "INTEGER", "defaultValue": 20}],
                 "dataContract": {"kind": "UNLABELED", "defaultFraction": 0.1, "outOfDistributionAllowed": true}}""");
    }

    /** NPD: epochs, labeled clean data. */
    static InstalledDefense npd() {
        return defense("""
                {"id": "npd", "kind": "defense", "parameters": [{"name": "epochs", "type": "INTEGER", "defaultValue": 20}],
                 "dataContract": {"kind": "LABELED_CLEAN", "defaultFraction": 0.05, "outOfDistributionAllowed": false}}""");
    }

    /** ANP-like: an iteration count, no epochs. */
    static InstalledDefense anp() {
        return defense("""
                {"id": "anp", "kind": "defense", "parameters": [{"name": "iterations", "type": "INTEGER", "defaultValue": 2000},
                  {"name": "batchSize", "type": "INTEGER", "defaultValue": 128}],
                 "dataContract": {"kind": "LABELED_CLEAN", "defaultFraction": 0.05, "outOfDistributionAllowed": false}}""");
    }

    /** NC-like: two epoch counts, one of them already short. */
    static InstalledDefense nc() {
        return defense("""
                {"id": "nc", "kind": "defense", "parameters": [{"name": "searchEpochs", "type": "INTEGER", "defaultValue": 80},
                  {"name": "epochs", "type": "INTEGER", "defaultValue": 1}],
                 "dataContract": {"kind": "LABELED_CLEAN", "defaultFraction": 0.05, "outOfDistributionAllowed": false}}""");
    }

    /** A data-free defense without parameters. */
    static InstalledDefense prune() {
        return defense("""
                {"id": "prune", "kind": "defense", "parameters": [], "dataContract": {"kind": "NONE", "defaultFraction": 0}}""");
    }
}
