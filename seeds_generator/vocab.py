"""Small embedded word lists the generator picks from (no Faker in the hot path).

Names are plain ASCII so that e-mail addresses built from them stay valid.
"""

from __future__ import annotations

FEMALE_FIRST_NAMES = (
    "Emma Olivia Ava Sophia Isabella Mia Amelia Harper Evelyn Abigail Emily Ella Elizabeth Camila Luna "
    "Sofia Avery Mila Aria Scarlett Penelope Layla Chloe Victoria Madison Eleanor Grace Nora Riley Zoey "
    "Hannah Hazel Lily Ellie Violet Lillian Zoe Stella Aurora Natalie Emilia Everly Leah Aubrey Willow "
    "Addison Lucy Audrey Bella Nova Brooklyn Paisley Savannah Claire Skylar Isla Genesis Naomi Elena Caroline "
    "Anna Sarah Laura Julia Clara Marie Lea Ines Chiara Giulia Maria Carmen Lucia Paula Alba Ingrid Freya"
).split()
MALE_FIRST_NAMES = (
    "Liam Noah Oliver Elijah James William Benjamin Lucas Henry Theodore Jack Levi Alexander Jackson Mateo "
    "Daniel Michael Mason Sebastian Ethan Logan Owen Samuel Jacob Asher Aiden John Joseph Wyatt David Leo "
    "Luke Julian Hudson Grayson Matthew Ezra Gabriel Carter Isaac Jayden Luca Anthony Dylan Lincoln Thomas "
    "Maverick Elias Josiah Charles Caleb Christopher Ezekiel Miles Jaxon Isaiah Andrew Joshua Nathan Nolan "
    "Adrian Cameron Santiago Eli Aaron Ryan Angel Paul Felix Hugo Marco Pablo Javier Lars Jonas Finn Emil"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis "
    "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall "
    "Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes "
    "Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard "
    "Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price "
    "Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Muller Schmidt Schneider Fischer Weber "
    "Meyer Wagner Becker Dubois Durand Leroy Moreau Rossi Russo Ferrari Esposito Bianchi Romano Silva Santos"
).split()
EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "gmx.de", "web.de")
EMAIL_DOMAIN_WEIGHTS = (40, 12, 14, 10, 12, 3, 5, 4)

#: (city, state or region, ISO country, weight)
CITIES = (
    ("New York", "NY", "US", 40),
    ("Los Angeles", "CA", "US", 30),
    ("Chicago", "IL", "US", 20),
    ("Houston", "TX", "US", 18),
    ("Phoenix", "AZ", "US", 12),
    ("Philadelphia", "PA", "US", 12),
    ("San Antonio", "TX", "US", 10),
    ("San Diego", "CA", "US", 10),
    ("Dallas", "TX", "US", 10),
    ("Austin", "TX", "US", 9),
    ("Seattle", "WA", "US", 9),
    ("Denver", "CO", "US", 8),
    ("Boston", "MA", "US", 8),
    ("Miami", "FL", "US", 8),
    ("Atlanta", "GA", "US", 8),
    ("Portland", "OR", "US", 6),
    ("Toronto", "ON", "CA", 12),
    ("Vancouver", "BC", "CA", 7),
    ("Montreal", "QC", "CA", 7),
    ("London", "England", "GB", 20),
    ("Manchester", "England", "GB", 7),
    ("Edinburgh", "Scotland", "GB", 4),
    ("Berlin", "Berlin", "DE", 10),
    ("Munich", "Bavaria", "DE", 7),
    ("Hamburg", "Hamburg", "DE", 6),
    ("Paris", "Ile-de-France", "FR", 10),
    ("Lyon", "Auvergne-Rhone-Alpes", "FR", 5),
    ("Madrid", "Madrid", "ES", 7),
    ("Barcelona", "Catalonia", "ES", 6),
    ("Amsterdam", "North Holland", "NL", 6),
    ("Milan", "Lombardy", "IT", 6),
    ("Sydney", "NSW", "AU", 8),
    ("Melbourne", "VIC", "AU", 7),
)

GENDERS = ("female", "male", "non_binary")
GENDER_WEIGHTS = (49, 49, 2)
ACQUISITION_CHANNELS = ("organic", "search", "social", "email", "display", "referral")
ACQUISITION_WEIGHTS = (30, 28, 18, 10, 6, 8)
PAYMENT_METHODS = ("credit_card", "debit_card", "paypal", "voucher", "bank_transfer")
PAYMENT_WEIGHTS = (45, 20, 22, 5, 8)

#: Category -> (share of the catalogue, price multiplier, typical weight in grams, product nouns)
CATEGORY_PROFILES: dict[str, tuple[int, float, int, tuple[str, ...]]] = {
    "electronics": (9, 1.8, 600, ("Headphones", "Speaker", "Smartwatch", "Charger", "Camera", "Earbuds")),
    "computers": (6, 2.5, 1500, ("Laptop Stand", "Keyboard", "Mouse", "Monitor", "SSD", "Webcam")),
    "home_kitchen": (11, 0.9, 1200, ("Blender", "Pan", "Knife Set", "Kettle", "Toaster", "Mug Set")),
    "furniture": (5, 2.2, 9000, ("Chair", "Desk", "Shelf", "Side Table", "Lamp", "Stool")),
    "fashion": (12, 0.7, 400, ("T-Shirt", "Jacket", "Dress", "Jeans", "Sweater", "Scarf")),
    "shoes": (6, 1.0, 900, ("Sneakers", "Boots", "Sandals", "Loafers", "Running Shoes", "Slippers")),
    "beauty": (8, 0.45, 250, ("Serum", "Lipstick", "Face Cream", "Shampoo", "Perfume", "Mascara")),
    "health": (6, 0.5, 300, ("Vitamins", "Thermometer", "First Aid Kit", "Massager", "Scale", "Toothbrush")),
    "sports_outdoors": (8, 1.1, 1400, ("Yoga Mat", "Tent", "Dumbbells", "Backpack", "Bike Light", "Bottle")),
    "toys_games": (7, 0.6, 700, ("Puzzle", "Board Game", "Building Set", "Plush Toy", "Doll", "RC Car")),
    "books": (7, 0.3, 450, ("Novel", "Cookbook", "Guide", "Atlas", "Biography", "Notebook")),
    "garden_tools": (5, 0.9, 2500, ("Hose", "Pruner", "Planter", "Rake", "Sprinkler", "Gloves")),
    "pet_supplies": (5, 0.5, 1800, ("Dog Bed", "Cat Tree", "Leash", "Pet Food", "Litter Box", "Toy Ball")),
    "grocery": (5, 0.2, 800, ("Coffee Beans", "Olive Oil", "Tea Box", "Pasta Set", "Honey", "Chocolate")),
}
BRANDS = (
    "Acme Aurora Boreal Brightline Cascade Cobalt Crestwood Dayspring Driftwood Ember Evergreen Fjord Granite "
    "Harbor Helix Horizon Ironwood Juniper Keystone Lumen Maple Meridian Monarch Nimbus Northwind Oakridge "
    "Orbit Pinnacle Quartz Redwood Sable Sierra Solstice Summit Tidewater Trailhead Vertex Willow Zenith Atlas"
).split()
ADJECTIVES = "Classic Essential Premium Compact Deluxe Eco Pro Ultra Everyday Smart Lite Max".split()

REVIEW_TITLES = {
    1: ("Very disappointed", "Do not buy", "Arrived late and broken", "Waste of money"),
    2: ("Not great", "Below expectations", "Poor quality"),
    3: ("It's okay", "Average", "Does the job"),
    4: ("Good value", "Pretty good", "Happy with it", "Nice product"),
    5: ("Excellent!", "Love it", "Perfect", "Highly recommend", "Five stars"),
}
REVIEW_COMMENTS = {
    1: ("The item stopped working after two days.", "Took far too long to arrive, and the box was damaged."),
    2: ("Smaller than in the pictures.", "Works, but feels cheap."),
    3: ("Fine for the price, nothing special.", "Delivery was slow, product is ok."),
    4: ("Good product, arrived on time.", "Does what it says, would buy again."),
    5: ("Exactly as described, fast delivery, great quality.", "Great, my family loves it!"),
}
