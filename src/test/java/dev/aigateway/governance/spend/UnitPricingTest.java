package dev.aigateway.governance.spend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.pricing.PriceTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Prices of what is not tokens: the bundled table's unit prices, image variants, and their cost from a billed usage. */
class UnitPricingTest {
    static Deployment deployment(String provider, String model, ObjectNode modelInfo) {
        return new Deployment("d1", "m", provider, model, "k", null, null, Duration.ofSeconds(5), null, 1, 0, Json.object(), modelInfo, true);
    }

    static ObjectNode usage(String unit, double amount) {
        ObjectNode u = Json.object();
        u.putObject(Pricing.BILLED_UNITS).put(unit, amount);
        return u;
    }

    @Test
    void theBundledTableKeepsUnitPricesAndKnowsBareImageModels() {
        PriceTable t = PriceTable.bundled();
        assertThat(t.lookup("openai", "whisper-1").units().perSecond()).isEqualTo(0.0001);
        assertThat(t.lookup("openai", "tts-1").units().perCharacter()).isEqualTo(1.5e-05);
        assertThat(t.lookup("cohere", "rerank-v3.5").units().perQuery()).isEqualTo(0.002);
        assertThat(t.lookup("openai", "dall-e-3").mode()).as("known only by its variants in the map").isEqualTo("image_generation");
        assertThat(t.lookup("bedrock", "stability.stable-diffusion-xl-v1").mode()).isEqualTo("image_generation");
    }

    @Test
    void unitsAreChargedAtTheirPricesAndPixelsBeforeImages() {
        ModelPrice whisper = PriceTable.bundled().lookup("openai", "whisper-1");
        assertThat(Pricing.cost(usage("seconds", 12.5), whisper)).isCloseTo(0.00125, within(1e-12));
        assertThat(Pricing.cost(usage("characters", 100), PriceTable.bundled().lookup("openai", "tts-1"))).isCloseTo(0.0015, within(1e-12));

        ObjectNode images = usage("images", 2);
        ((ObjectNode) images.get(Pricing.BILLED_UNITS)).put("pixels", 2 * 1024 * 1024);
        ModelPrice perImage = PriceTable.fromJson(Json.object().put("input_cost_per_image", 0.04));
        ModelPrice perPixel = PriceTable.fromJson(Json.object().put("input_cost_per_image", 0.04).put("input_cost_per_pixel", 1e-8));
        assertThat(Pricing.cost(images, perImage)).isCloseTo(0.08, within(1e-12));
        assertThat(Pricing.cost(images, perPixel)).isCloseTo(2 * 1024 * 1024 * 1e-8, within(1e-12));
        assertThat(Pricing.cost(usage("seconds", 10), ModelPrice.UNKNOWN)).as("no unit price: free").isZero();
    }

    @Test
    void anImageIsPricedAtTheFirstVariantTheTableHasAndModelInfoStillOverrides() {
        Pricing pricing = new Pricing(PriceTable.bundled());
        ObjectNode usage = Json.object();
        usage.putArray(Pricing.PRICE_VARIANTS).add("ultra/1024-x-1024").add("hd/1024-x-1024").add("1024-x-1024");
        assertThat(pricing.priceOf(deployment("openai", "dall-e-3", null), usage).units().perPixel()).isEqualTo(7.629e-08);
        ModelPrice overridden = pricing.priceOf(deployment("openai", "dall-e-3", Json.object().put("input_cost_per_pixel", 1e-9)), usage);
        assertThat(overridden.units().perPixel()).isEqualTo(1e-9);
        assertThat(pricing.priceOf(deployment("openai", "my-image-model", Json.object().put("input_cost_per_image", 0.1)), usage).units().perImage())
                .as("no variant in the table: the model's own price").isEqualTo(0.1);
    }
}
