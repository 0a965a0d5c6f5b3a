package io.autoglm.fleet.simulator.phone;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The simulated shop: a search field and categories; results that load for a moment; a product page
 * with Buy now; a sign-in page when not signed in (a person signs in: {@link #takeOver}); the checkout
 * with its Pay button (the step an agent must have confirmed); the order placed.
 */
final class ShopApp extends PhoneApp {

    static final String NAME = "Shop";

    /** What the shop sells. */
    record Product(String name, String category, String price) {
    }

    static final List<Product> CATALOGUE = List.of(new Product("Running shoes", "shoes", "$59.99"), new Product("Trail shoes", "shoes", "$89.00"),
            new Product("Sandals", "shoes", "$24.50"), new Product("Phone case", "phones", "$12.00"), new Product("USB-C charger", "phones", "$19.90"),
            new Product("Wireless earbuds", "phones", "$49.00"), new Product("The Long Way (novel)", "books", "$15.00"),
            new Product("Cookbook", "books", "$22.00"));

    private String search = "";
    private boolean signedIn;
    private String email = "";
    private String password = "";
    private final List<String> orders = new ArrayList<>();

    ShopApp() {
        super(NAME, "com.example.shop", List.of("商城", "购物", "Shopping"), 0xe8710a);
    }

    @Override
    String root() {
        return "home";
    }

    @Override
    String title(String screen) {
        return switch (kind(screen)) {
            case "results" -> "Results";
            case "product" -> subject(screen);
            case "sign-in" -> "Sign in";
            case "checkout" -> "Checkout";
            case "ordered" -> "Thank you";
            default -> NAME;
        };
    }

    @Override
    void lay(String screen, ScreenLayout layout, Navigation go) {
        String subject = subject(screen);
        switch (kind(screen)) {
            case "results" -> {
                layout.field("search", "Search products", subject, text -> search = text);
                List<Product> found = find(subject);
                layout.text("summary", found.size() + (found.size() == 1 ? " result" : " results") + " for \"" + subject + "\"");
                for (Product product : found) {
                    layout.row(id(product), product.name(), product.price(), () -> go.open("product/" + product.name()));
                }
            }
            case "product" -> {
                Product product = product(subject);
                layout.text("price", product.price());
                layout.text("delivery", "Free delivery in 2 days");
                layout.button("buy", "Buy now", () -> go.open(signedIn ? "checkout/" + product.name() : "sign-in/" + product.name()));
            }
            case "sign-in" -> {
                layout.text("why", "Sign in to buy " + subject);
                layout.field("email", "Email", email, text -> email = text);
                layout.field("password", "Password", "•".repeat(password.length()), text -> password = text);
                layout.button("sign-in", "Sign in", () -> {
                    if (!email.isBlank() && !password.isBlank()) {
                        signedIn = true;
                        go.replace("checkout/" + subject);
                    }
                });
            }
            case "checkout" -> {
                Product product = product(subject);
                layout.text("item", product.name());
                layout.text("address", "Deliver to: 1 Simulator Street");
                layout.text("total", "Total: " + product.price());
                layout.button("pay", "Pay " + product.price(), () -> {
                    orders.add(product.name());
                    go.replace("ordered/" + (1000 + orders.size()));
                });
            }
            case "ordered" -> {
                int number = Integer.parseInt(subject);
                layout.text("placed", "Order placed");
                layout.text("order", "Order #" + number + ": " + orders.get(number - 1001));
                layout.button("done", "Done", go::toRoot);
            }
            default -> {
                layout.field("search", "Search products", search, text -> search = text);
                layout.button("search-button", "Search", () -> {
                    if (!search.isBlank()) {
                        go.openLoading("results/" + search.strip());
                    }
                });
                layout.text("categories", "Categories");
                for (String category : List.of("Shoes", "Phones", "Books")) {
                    layout.row("category-" + category.toLowerCase(Locale.ROOT), category, null, () -> go.openLoading("results/" + category));
                }
            }
        }
    }

    @Override
    boolean takeOver(String screen, Navigation go) {
        if (!kind(screen).equals("sign-in")) {
            return false;
        }
        email = "sim@example.com";
        password = "secret";
        signedIn = true;
        go.replace("checkout/" + subject(screen));
        return true;
    }

    /** The products a search finds: those whose name or category holds every word of it (a plural's "s" aside). */
    static List<Product> find(String query) {
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).split("\\s+"));
        return CATALOGUE.stream().filter(product -> words.stream().allMatch(word -> {
            String stem = word.endsWith("s") && word.length() > 3 ? word.substring(0, word.length() - 1) : word;
            return product.name().toLowerCase(Locale.ROOT).contains(stem) || product.category().contains(stem);
        })).toList();
    }

    static String id(Product product) {
        return "product-" + product.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
    }

    private static Product product(String name) {
        return CATALOGUE.stream().filter(product -> product.name().equals(name)).findFirst().orElse(CATALOGUE.get(0));
    }
}
