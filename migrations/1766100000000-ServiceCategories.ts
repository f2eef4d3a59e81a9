import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The developer's own complaint and repair categories, seeded with the built-in ones. A repair category
 * carries its warranty (months from delivery; never below the statutory minimum it was seeded with),
 * whether its repairs are major works (a second callback after two months) and whether choosing it
 * makes the report an emergency (the on-duty staff, at any hour, no slot).
 */
export class ServiceCategories1766100000000 implements MigrationInterface {
  name = 'ServiceCategories1766100000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE service_category (
        id serial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('repair', 'complaint')),
        name text NOT NULL CHECK (name = btrim(name) AND name <> ''),
        -- null: the deployment's WARRANTY_MONTHS for a built-in category, else the statutory minimum
        warranty_months int CHECK (warranty_months BETWEEN 0 AND 600),
        statutory_months int NOT NULL DEFAULT 0,
        major_works boolean NOT NULL DEFAULT false,
        emergency boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        position int NOT NULL DEFAULT 100,
        UNIQUE (kind, name),
        CHECK (warranty_months IS NULL OR warranty_months >= statutory_months),
        CHECK (kind = 'repair' OR (warranty_months IS NULL AND NOT major_works AND NOT emergency))
      );
      INSERT INTO service_category (kind, name, statutory_months, major_works, position) VALUES
        ('repair', '防水渗漏', 60, true, 10),
        ('repair', '水电管线', 24, false, 20),
        ('repair', '门窗五金', 24, false, 30),
        ('repair', '墙地面装修', 24, false, 40),
        ('repair', '供暖空调', 24, true, 50),
        ('repair', '其他', 0, false, 1000),
        ('complaint', '工程质量', 0, false, 10),
        ('complaint', '物业服务', 0, false, 20),
        ('complaint', '销售承诺', 0, false, 30),
        ('complaint', '设计变更', 0, false, 40),
        ('complaint', '配套设施', 0, false, 50),
        ('complaint', '其他', 0, false, 1000)
    `)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE service_category`)
  }
}
