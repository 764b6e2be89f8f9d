import { type Kysely, type Migration, type MigrationProvider } from "kysely";

/**
 * Schema migrations, one function per version, run by kysely's Migrator on both dialects.
 * `prefix` names constraints (MySQL wants foreign-key names unique per database).
 */
export function hssMigrations(prefix: string): MigrationProvider {
  const fk = (name: string): string => `${prefix}fk_${name}`;
  const migrations: Record<string, Migration> = {
    "0001_initial": {
      async up(db: Kysely<unknown>): Promise<void> {
        const id = "integer" as const;
        await db.schema
          .createTable("capability_set")
          .addColumn("id", id, (c) => c.primaryKey().autoIncrement())
          .addColumn("name", "varchar(255)", (c) => c.notNull().unique())
          .execute();
        await db.schema
          .createTable("capability")
          .addColumn("id", id, (c) => c.primaryKey().autoIncrement())
          .addColumn("set_id", id, (c) => c.notNull())
          .addColumn("code", id, (c) => c.notNull())
          .addColumn("mandatory", id, (c) => c.notNull())
          .addForeignKeyConstraint(fk("capability_set"), ["set_id"], "capability_set", ["id"], (c) =>
            c.onDelete("cascade"),
          )
          .execute();
        await db.schema
          .createTable("charging_info")
          .addColumn("id", id, (c) => c.primaryKey().autoIncrement())
          .addColumn("name", "varchar(255)", (c) => c.notNull().unique())
          .addColumn("pri_ecf", "varchar(255)")
          .addColumn("sec_ecf", "varchar(255)")
          .addColumn("pri_ccf", "varchar(255)")
          .addColumn("sec_ccf", "varchar(255)")
          .execute();
        await db.schema
          .createTable("application_server")
          .addColumn("id", id, (c) => c.primaryKey().autoIncrement())
          .addColumn("name", "varchar(255)", (c) => c.notNull().unique())
          .addColumn("server_name", "varchar(255)", (c) => c.notNull())
          .addColumn("default_handling", id, (c) => c.notNull())
          .addColumn("service_info", "varchar(1024)")
          .addColumn("include_register_request", id, (c) => c.notNull())
          .addColumn("include_register_response", id, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("service_profile")
          .addColumn("id", id, (c) => c.primaryKey().autoIncrement())
          .addColumn("name", "varchar(255)", (c) => c.notNull().unique())
          .addColumn("cn_service_auth", id)
          .execute();
        await db.schema
          .createTable("ifc")
          .addColumn("id", id, (c) => c.primaryKey().autoIncrement())
          .addColumn("service_profile_id", id, (c) => c.notNull())
          .addColumn("name", "varchar(255)", (c) => c.notNull())
          .addColumn("priority", id, (c) => c.notNull())
          .addColumn("trigger_point", "text")
          .addColumn("application_server_id", id, (c) => c.notNull())
          .addColumn("profile_part_indicator", id)
          .addForeignKeyConstraint(fk("ifc_sp"), ["service_profile_id"], "service_profile", ["id"], (c) =>
            c.onDelete("cascade"),
          )
          .addForeignKeyConstraint(fk("ifc_as"), ["application_server_id"], "application_server", ["id"])
          .execute();
        await db.schema
          .createTable("subscription")
          .addColumn("id", id, (c) => c.primaryKey().autoIncrement())
          .addColumn("name", "varchar(255)", (c) => c.notNull().unique())
          .addColumn("capability_set_id", id)
          .addColumn("preferred_scscf", "varchar(255)")
          .addColumn("scscf_name", "varchar(255)")
          .addColumn("scscf_host", "varchar(255)")
          .addColumn("scscf_realm", "varchar(255)")
          .addColumn("pending_scscf", "varchar(255)")
          .addForeignKeyConstraint(fk("sub_caps"), ["capability_set_id"], "capability_set", ["id"], (c) =>
            c.onDelete("set null"),
          )
          .execute();
        await db.schema
          .createTable("impi")
          .addColumn("id", id, (c) => c.primaryKey().autoIncrement())
          .addColumn("subscription_id", id, (c) => c.notNull())
          .addColumn("identity", "varchar(255)", (c) => c.notNull().unique())
          .addColumn("secret", "varchar(255)")
          .addColumn("k", "varchar(32)")
          .addColumn("amf", "varchar(4)", (c) => c.notNull())
          .addColumn("op", "varchar(32)")
          .addColumn("opc", "varchar(32)")
          .addColumn("sqn", "varchar(12)", (c) => c.notNull())
          .addColumn("auth_schemes", "varchar(255)", (c) => c.notNull())
          .addColumn("default_scheme", "varchar(64)", (c) => c.notNull())
          .addForeignKeyConstraint(fk("impi_sub"), ["subscription_id"], "subscription", ["id"], (c) =>
            c.onDelete("cascade"),
          )
          .execute();
        await db.schema
          .createTable("impu")
          .addColumn("id", id, (c) => c.primaryKey().autoIncrement())
          .addColumn("subscription_id", id, (c) => c.notNull())
          .addColumn("identity", "varchar(255)", (c) => c.notNull().unique())
          .addColumn("impu_type", "varchar(32)", (c) => c.notNull())
          .addColumn("wildcard_psi", "varchar(255)")
          .addColumn("display_name", "varchar(255)")
          .addColumn("barring", id, (c) => c.notNull())
          .addColumn("can_register", id, (c) => c.notNull())
          .addColumn("psi_activation", id, (c) => c.notNull())
          .addColumn("service_profile_id", id, (c) => c.notNull())
          .addColumn("charging_info_id", id)
          .addColumn("implicit_set", id, (c) => c.notNull())
          .addColumn("user_state", "varchar(32)", (c) => c.notNull())
          .addForeignKeyConstraint(fk("impu_sub"), ["subscription_id"], "subscription", ["id"], (c) =>
            c.onDelete("cascade"),
          )
          .addForeignKeyConstraint(fk("impu_sp"), ["service_profile_id"], "service_profile", ["id"])
          .addForeignKeyConstraint(fk("impu_ci"), ["charging_info_id"], "charging_info", ["id"], (c) =>
            c.onDelete("set null"),
          )
          .execute();
        await db.schema
          .createTable("impi_impu")
          .addColumn("impi_id", id, (c) => c.notNull())
          .addColumn("impu_id", id, (c) => c.notNull())
          .addPrimaryKeyConstraint(`${prefix}pk_impi_impu`, ["impi_id", "impu_id"])
          .addForeignKeyConstraint(fk("link_impi"), ["impi_id"], "impi", ["id"], (c) => c.onDelete("cascade"))
          .addForeignKeyConstraint(fk("link_impu"), ["impu_id"], "impu", ["id"], (c) => c.onDelete("cascade"))
          .execute();
        await db.schema
          .createTable("impu_visited_network")
          .addColumn("id", id, (c) => c.primaryKey().autoIncrement())
          .addColumn("impu_id", id, (c) => c.notNull())
          .addColumn("network", "varchar(255)", (c) => c.notNull())
          .addForeignKeyConstraint(fk("vn_impu"), ["impu_id"], "impu", ["id"], (c) => c.onDelete("cascade"))
          .execute();
        await db.schema.createIndex(`${prefix}ix_impu_set`).on("impu").column("implicit_set").execute();
        await db.schema.createIndex(`${prefix}ix_link_impu`).on("impi_impu").column("impu_id").execute();
      },
    },
  };
  return { getMigrations: () => Promise.resolve(migrations) };
}
