/** The old path of the DeliveryStore port, kept so code written against it still compiles: see ports/delivery.ts. */
export * from "./ports/delivery.ts";
