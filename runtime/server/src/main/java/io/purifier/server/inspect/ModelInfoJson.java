package io.purifier.server.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.model.ModelInfo;

/** The API's view of a model's metadata: {@code {architecture, inputShape, numClasses, classNames, layers}}. */
public final class ModelInfoJson {

    private ModelInfoJson() {
    }

    /** {@code info} as the JSON object the API returns for a stored model. */
    public static ObjectNode of(ModelInfo info, ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("architecture", info.architecture());
        node.put("inputShape", info.inputShape());
        node.put("numClasses", info.numClasses());
        node.set("classNames", json.valueToTree(info.classNames()));
        node.set("layers", json.valueToTree(info.layerNames()));
        return node;
    }
}
